-- The demo application in SQLite: the same tables as demo/schema.sql, in SQLite's
-- types (INTEGER PRIMARY KEY is the rowid, times are ISO-8601 text). It starts as a
-- young app does: primary keys, a few foreign-key indexes, one unique key, no
-- composite indexes.

CREATE TABLE tenants (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  plan        TEXT NOT NULL DEFAULT 'free',
  created_at  TEXT NOT NULL
);

CREATE TABLE client_apps (
  id          INTEGER PRIMARY KEY,
  tenant_id   INTEGER NOT NULL REFERENCES tenants (id),
  name        TEXT NOT NULL,
  api_key     TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  deleted_at  TEXT
);
CREATE INDEX client_apps_tenant_id_idx ON client_apps (tenant_id);

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  tenant_id      INTEGER NOT NULL REFERENCES tenants (id),
  email          TEXT NOT NULL,
  name           TEXT NOT NULL,
  status         TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  last_login_at  TEXT,
  deleted_at     TEXT
);
CREATE INDEX users_tenant_id_idx ON users (tenant_id);

CREATE TABLE conversations (
  id             INTEGER PRIMARY KEY,
  tenant_id      INTEGER NOT NULL REFERENCES tenants (id),
  user_id        INTEGER NOT NULL REFERENCES users (id),
  client_app_id  INTEGER NOT NULL REFERENCES client_apps (id),
  title          TEXT NOT NULL,
  status         TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  deleted_at     TEXT
);

CREATE TABLE messages (
  id               INTEGER PRIMARY KEY,
  tenant_id        INTEGER NOT NULL REFERENCES tenants (id),
  conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
  user_id          INTEGER NOT NULL REFERENCES users (id),
  role             TEXT NOT NULL,
  body             TEXT NOT NULL,
  token_count      INTEGER NOT NULL,
  created_at       TEXT NOT NULL,
  deleted_at       TEXT
);

CREATE TABLE documents (
  id          INTEGER PRIMARY KEY,
  tenant_id   INTEGER NOT NULL REFERENCES tenants (id),
  user_id     INTEGER NOT NULL REFERENCES users (id),
  title       TEXT NOT NULL,
  status      TEXT NOT NULL,
  mime_type   TEXT NOT NULL,
  size_bytes  INTEGER NOT NULL,
  metadata    TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  deleted_at  TEXT
);

CREATE TABLE document_chunks (
  id           INTEGER PRIMARY KEY,
  document_id  INTEGER NOT NULL REFERENCES documents (id),
  chunk_index  INTEGER NOT NULL,
  content      TEXT NOT NULL,
  token_count  INTEGER NOT NULL,
  created_at   TEXT NOT NULL
);
CREATE INDEX document_chunks_document_id_idx ON document_chunks (document_id);

CREATE TABLE groves (
  id             INTEGER PRIMARY KEY,
  tenant_id      INTEGER NOT NULL REFERENCES tenants (id),
  client_app_id  INTEGER NOT NULL REFERENCES client_apps (id),
  name           TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  deleted_at     TEXT
);

CREATE TABLE branches (
  id          INTEGER PRIMARY KEY,
  grove_id    INTEGER NOT NULL REFERENCES groves (id),
  name        TEXT NOT NULL,
  status      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
