/**
 * Parts of server log messages: the parameter list PostgreSQL logs with an
 * extended-protocol execution (`$1 = 'it''s', $2 = NULL`), and the statement an
 * auto_explain plan was made for (text, JSON and YAML formats; XML is not read).
 */

export interface PlannedStatement {
  readonly sql: string;
  /** Values auto_explain printed as "Query Parameters" (PostgreSQL 16+). */
  readonly params?: readonly (string | null)[];
}

const PARAMETER_NAME = /\$(\d+) = /y;
/** PostgreSQL's limit on the parameters of one statement. */
const MAX_PARAMETERS = 65_535;

/**
 * `$1 = '5', $2 = 'it''s', $3 = NULL` → ['5', "it's", null]. Reads up to the first
 * thing that is not such a list; undefined when there is no parameter at all.
 */
export function parseLoggedParameters(text: string): (string | null)[] | undefined {
  const values: (string | null)[] = [];
  let position = 0;
  for (;;) {
    PARAMETER_NAME.lastIndex = position;
    const name = PARAMETER_NAME.exec(text);
    const number = name === null ? 0 : Number(name[1]);
    if (number < 1 || number > MAX_PARAMETERS) break;
    const value = readLoggedValue(text, PARAMETER_NAME.lastIndex);
    if (value === null) break;
    values[number - 1] = value.value;
    position = value.end;
    if (!text.startsWith(', ', position)) break;
    position += 2;
  }
  return values.length === 0 ? undefined : Array.from(values, (value) => value ?? null);
}

/** NULL, or a single-quoted value with '' for a quote. */
function readLoggedValue(text: string, start: number): { value: string | null; end: number } | null {
  if (text.startsWith('NULL', start)) return { value: null, end: start + 4 };
  return readQuoted(text, start);
}

/** A single-quoted SQL string at `start`, '' standing for a quote: its value and where it ends; null if there is none. */
export function readQuoted(text: string, start: number): { value: string; end: number } | null {
  if (text[start] !== "'") return null;
  let value = '';
  let position = start + 1;
  for (;;) {
    const quote = text.indexOf("'", position);
    if (quote < 0) return null;
    value += text.slice(position, quote);
    if (text[quote + 1] !== "'") return { value, end: quote + 1 };
    value += "'";
    position = quote + 2;
  }
}

/** The statement of an auto_explain plan (the text after `plan:`); null for a format not read. */
export function planStatement(body: string): PlannedStatement | null {
  const text = body.trimStart();
  if (text.startsWith('{')) return jsonPlanStatement(text);
  if (text.startsWith('<explain')) return xmlPlanStatement(text);
  const yaml = text.startsWith('- ') ? text.slice(2) : text;
  if (yaml.startsWith('Query Text: "')) return yamlPlanStatement(yaml);
  if (text.startsWith('Query Text: ')) return textPlanStatement(text);
  return null;
}

const JSON_QUERY_TEXT = /"Query Text": ("(?:[^"\\]|\\.)*")/;
const JSON_QUERY_PARAMETERS = /"Query Parameters": ("(?:[^"\\]|\\.)*")/;

function jsonPlanStatement(text: string): PlannedStatement | null {
  const sql = jsonString(JSON_QUERY_TEXT.exec(text)?.[1]);
  return sql === undefined ? null : withParameters(sql, jsonString(JSON_QUERY_PARAMETERS.exec(text)?.[1]));
}

const XML_QUERY_TEXT = /<Query-Text>([\s\S]*?)<\/Query-Text>/;
const XML_QUERY_PARAMETERS = /<Query-Parameters>([\s\S]*?)<\/Query-Parameters>/;
const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** PostgreSQL's XML escapes &, <, > and carriage returns (&#x0d;). */
function xmlText(text: string | undefined): string | undefined {
  return text?.replace(/&(amp|lt|gt|quot|apos|#x([0-9a-f]+)|#(\d+));/gi, (_, name: string, hex?: string, dec?: string) =>
    hex !== undefined
      ? String.fromCodePoint(Number.parseInt(hex, 16))
      : dec !== undefined
        ? String.fromCodePoint(Number(dec))
        : (XML_ENTITIES[name.toLowerCase()] as string),
  );
}

function xmlPlanStatement(text: string): PlannedStatement | null {
  const sql = xmlText(XML_QUERY_TEXT.exec(text)?.[1]);
  return sql === undefined ? null : withParameters(sql, xmlText(XML_QUERY_PARAMETERS.exec(text)?.[1]));
}

/** YAML plans quote every string the JSON way, on one line. */
function yamlPlanStatement(text: string): PlannedStatement | null {
  const lines = text.split('\n', 3);
  const sql = jsonString((lines[0] as string).slice('Query Text: '.length));
  if (sql === undefined) return null;
  const parameters = lines.slice(1).find((line) => line.trimStart().startsWith('Query Parameters: "'));
  return withParameters(sql, jsonString(parameters?.trimStart().slice('Query Parameters: '.length)));
}

const PLAN_HEADER = /^Query (?:Parameters|Identifier): /;
/** The first line of a text-format plan tree: `Index Scan using … on t  (cost=0.15..8.17 rows=1 width=32)`. */
const PLAN_NODE = / {2}\(cost=\d/;

/** A text plan: `Query Text: SQL` (which may span lines), optional headers, then the plan tree. */
function textPlanStatement(text: string): PlannedStatement {
  const lines = text.split('\n');
  const queryLines = [(lines[0] as string).slice('Query Text: '.length)];
  let parameters: string | undefined;
  for (const line of lines.slice(1)) {
    if (line.startsWith('Query Parameters: ')) parameters = line.slice('Query Parameters: '.length);
    if (PLAN_HEADER.test(line) || PLAN_NODE.test(line)) break;
    queryLines.push(line);
  }
  return withParameters(queryLines.join('\n'), parameters);
}

function withParameters(sql: string, parameters: string | undefined): PlannedStatement {
  const params = parameters === undefined ? undefined : parseLoggedParameters(parameters);
  return params === undefined ? { sql } : { sql, params };
}

function jsonString(quoted: string | undefined): string | undefined {
  if (quoted === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(quoted);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
