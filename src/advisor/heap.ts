/** A binary max-heap by a numeric priority (the selection's queue of moves). */
export class MaxHeap<T> {
  private readonly items: { priority: number; value: T }[] = [];

  get size(): number {
    return this.items.length;
  }

  push(priority: number, value: T): void {
    const items = this.items;
    items.push({ priority, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((items[parent] as { priority: number }).priority >= priority) break;
      [items[i], items[parent]] = [items[parent] as { priority: number; value: T }, items[i] as { priority: number; value: T }];
      i = parent;
    }
  }

  peek(): { priority: number; value: T } | undefined {
    return this.items[0];
  }

  pop(): { priority: number; value: T } | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < items.length && (items[left] as { priority: number }).priority > (items[largest] as { priority: number }).priority)
        largest = left;
      if (right < items.length && (items[right] as { priority: number }).priority > (items[largest] as { priority: number }).priority)
        largest = right;
      if (largest === i) return top;
      [items[i], items[largest]] = [items[largest] as { priority: number; value: T }, items[i] as { priority: number; value: T }];
      i = largest;
    }
  }
}
