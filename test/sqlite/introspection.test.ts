/**
 * The SQLite catalog: collations, DESC keys, partial and expression indexes with their
 * text, WITHOUT ROWID tables, the INTEGER PRIMARY KEY rowid alias, generated columns,
 * row counts and distinct counts from sqlite_stat1, foreign keys, triggers — and the
 * file opened read-only (--analyze alone writes statistics).
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/engines/connect.js';
import { ConnectionError } from '../../src/errors.js';
import { series, sha256, sqliteFile } from './fixture.js';

const SCHEMA = `
  CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE NOT NULL, email TEXT UNIQUE);
  CREATE TABLE "Blog Posts" (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors (id),
    title TEXT NOT NULL,
    slug TEXT GENERATED ALWAYS AS (lower(title)) VIRTUAL,
    published_at TEXT,
    deleted_at TEXT
  );
  CREATE INDEX posts_author_published ON "Blog Posts" (author_id, published_at DESC);
  CREATE INDEX posts_title_binary ON "Blog Posts" (title COLLATE BINARY);
  CREATE INDEX posts_title_nocase ON "Blog Posts" (title COLLATE NOCASE);
  CREATE INDEX posts_live ON "Blog Posts" (published_at) WHERE deleted_at IS NULL;
  CREATE INDEX posts_lower_title ON "Blog Posts" (lower(title), author_id);
  CREATE INDEX authors_name ON authors (name);
  CREATE TABLE tags (post_id INTEGER, tag TEXT, PRIMARY KEY (post_id, tag)) WITHOUT ROWID;
  CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER);
  CREATE TRIGGER posts_count AFTER INSERT ON "Blog Posts" BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'posts:' || NEW.author_id;
    INSERT INTO tags (post_id, tag) VALUES (NEW.id, 'new');
  END;
  CREATE TRIGGER posts_retitle AFTER UPDATE OF title ON "Blog Posts" WHEN OLD.title <> NEW.title BEGIN
    UPDATE counters SET n = n + 1 WHERE name = OLD.title;
  END;
  INSERT INTO authors SELECT x, 'Author ' || x, 'a' || x || '@example.com' FROM ${series(200)};
  INSERT INTO "Blog Posts" (id, author_id, title, published_at) SELECT x, 1 + x % 200, 'Post ' || x, date('2024-01-01', '+' || (x % 300) || ' days') FROM ${series(3000)};`;

describe('the SQLite catalog', () => {
  it('reads tables, keys, collations, predicates, expressions, foreign keys and triggers', async () => {
    const path = sqliteFile(SCHEMA);
    const engine = await connect(`sqlite:${path}`);
    try {
      const catalog = await engine.catalog();
      const posts = catalog.tables.find((t) => t.name === 'Blog Posts');
      expect(posts?.rowEstimate).toBe(3000);
      expect(posts?.rowidAlias).toBe('id');
      expect(posts?.columns.find((c) => c.name === 'slug')?.generated).toBe(true);
      expect(catalog.tables.find((t) => t.name === 'authors')?.columns.find((c) => c.name === 'name')?.collation).toBe('NOCASE');
      const tags = catalog.tables.find((t) => t.name === 'tags');
      expect(tags).toMatchObject({ withoutRowid: true, rowidAlias: null, primaryKey: ['post_id', 'tag'] });
      expect(catalog.tables.find((t) => t.name === 'counters')?.rowidAlias).toBeNull();

      const index = (name: string) => catalog.indexes.find((i) => i.name === name);
      expect(index('posts_author_published')?.keys.map((k) => [k.column, k.descending])).toEqual([
        ['author_id', false],
        ['published_at', true],
      ]);
      expect(index('posts_title_binary')?.keys[0]?.collation).toBeNull();
      expect(index('posts_title_nocase')?.keys[0]?.collation).toBe('NOCASE');
      // the column's own NOCASE is no explicit collation
      expect(index('authors_name')?.keys[0]?.collation).toBeNull();
      expect(index('posts_live')?.predicate).toBe('deleted_at IS NULL');
      expect(index('posts_lower_title')?.keys.map((k) => k.expression ?? k.column)).toEqual(['lower(title)', 'author_id']);
      expect(catalog.indexes.find((i) => i.table.name === 'tags')).toMatchObject({
        primary: true,
        unique: true,
        constraint: expect.any(String),
      });
      expect(catalog.indexes.find((i) => i.table.name === 'authors' && i.unique)?.keys[0]?.column).toBe('email');

      expect(catalog.foreignKeys).toEqual([
        expect.objectContaining({
          table: { schema: 'main', name: 'Blog Posts' },
          columns: ['author_id'],
          referencedTable: { schema: 'main', name: 'authors' },
          referencedColumns: ['id'],
        }),
      ]);
      expect(catalog.triggers).toEqual([
        {
          schema: 'main',
          name: 'posts_count',
          table: { schema: 'main', name: 'Blog Posts' },
          event: 'insert',
          columns: [],
          statements: ["UPDATE counters SET n = n + 1 WHERE name = 'posts:' || ?", "INSERT INTO tags (post_id, tag) VALUES (?, 'new')"],
        },
        {
          schema: 'main',
          name: 'posts_retitle',
          table: { schema: 'main', name: 'Blog Posts' },
          event: 'update',
          columns: ['title'],
          statements: ['UPDATE counters SET n = n + 1 WHERE name = ?'],
        },
      ]);
    } finally {
      await engine.close();
    }
  });

  it('distinct counts from sqlite_stat1; ANALYZE only with --analyze (refreshStatistics), else read-only', async () => {
    const path = sqliteFile(SCHEMA);
    const before = sha256(path);
    const engine = await connect(`sqlite:${path}`);
    try {
      expect(
        (await engine.catalog()).tables.find((t) => t.name === 'Blog Posts')?.columns.find((c) => c.name === 'author_id')?.stats,
      ).toBeNull();
      await expect(engine.query('CREATE TABLE x (a)')).rejects.toThrow(/readonly/);
      expect(sha256(path)).toBe(before);
      expect((await engine.refreshStatistics()).sort()).toEqual(['Blog Posts', 'authors', 'tags']);
      expect(sha256(path)).not.toBe(before);
      const author = (await engine.catalog()).tables.find((t) => t.name === 'Blog Posts')?.columns.find((c) => c.name === 'author_id');
      expect(author?.stats?.nDistinct).toBe(200);
      expect(await engine.refreshStatistics()).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('a missing file is a connection error', async () => {
    await expect(connect('sqlite:/nonexistent/app.db')).rejects.toBeInstanceOf(ConnectionError);
  });
});
