// After tsc: copy the files the compiled code reads (src/**/*.sql, src/serve/assets/) into dist/
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function copySql(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copySql(path);
    else if (name.endsWith('.sql')) cpSync(path, join('dist', relative('src', path)));
  }
}
copySql('src');
// … and the dashboard's own script and style (src/serve/assets/), which serve reads next to its module.
cpSync(join('src', 'serve', 'assets'), join('dist', 'serve', 'assets'), { recursive: true });
