-- The demo application: a multi-tenant AI assistant with conversations, documents
-- and "groves" of branches. It starts as a young app does: primary keys, foreign keys,
-- a few foreign-key indexes, one unique key, no composite indexes.

CREATE TABLE tenants (
  id          bigint PRIMARY KEY,
  name        text NOT NULL,
  plan        text NOT NULL DEFAULT 'free',
  created_at  timestamptz NOT NULL
);

CREATE TABLE client_apps (
  id          bigint PRIMARY KEY,
  tenant_id   bigint NOT NULL,
  name        text NOT NULL,
  api_key     text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL,
  deleted_at  timestamptz
);

CREATE TABLE users (
  id             bigint PRIMARY KEY,
  tenant_id      bigint NOT NULL,
  email          text NOT NULL,
  name           text NOT NULL,
  status         text NOT NULL,
  created_at     timestamptz NOT NULL,
  last_login_at  timestamptz,
  deleted_at     timestamptz
);

CREATE TABLE conversations (
  id             bigint PRIMARY KEY,
  tenant_id      bigint NOT NULL,
  user_id        bigint NOT NULL,
  client_app_id  bigint NOT NULL,
  title          text NOT NULL,
  status         text NOT NULL,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  deleted_at     timestamptz
);

CREATE TABLE messages (
  id               bigint PRIMARY KEY,
  tenant_id        bigint NOT NULL,
  conversation_id  bigint NOT NULL,
  user_id          bigint NOT NULL,
  role             text NOT NULL,
  body             text NOT NULL,
  token_count      integer NOT NULL,
  created_at       timestamptz NOT NULL,
  deleted_at       timestamptz
);

CREATE TABLE documents (
  id          bigint PRIMARY KEY,
  tenant_id   bigint NOT NULL,
  user_id     bigint NOT NULL,
  title       text NOT NULL,
  status      text NOT NULL,
  mime_type   text NOT NULL,
  size_bytes  integer NOT NULL,
  metadata    jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  deleted_at  timestamptz
);

CREATE TABLE document_chunks (
  id           bigint PRIMARY KEY,
  document_id  bigint NOT NULL,
  chunk_index  integer NOT NULL,
  content      text NOT NULL,
  token_count  integer NOT NULL,
  created_at   timestamptz NOT NULL
);

CREATE TABLE groves (
  id             bigint PRIMARY KEY,
  tenant_id      bigint NOT NULL,
  client_app_id  bigint NOT NULL,
  name           text NOT NULL,
  created_at     timestamptz NOT NULL,
  deleted_at     timestamptz
);

CREATE TABLE branches (
  id          bigint PRIMARY KEY,
  grove_id    bigint NOT NULL,
  name        text NOT NULL,
  status      text NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- The foreign keys and the secondary indexes. The demo's loader runs the statements
-- above, fills the tables, then the ones below the next line: one check of each key
-- and one sorted build of each index cost much less than a check and an index entry
-- per inserted row.
-- after the data

ALTER TABLE client_apps
  ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id);

ALTER TABLE users
  ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id);

ALTER TABLE conversations
  ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  ADD FOREIGN KEY (user_id) REFERENCES users (id),
  ADD FOREIGN KEY (client_app_id) REFERENCES client_apps (id);

ALTER TABLE messages
  ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  ADD FOREIGN KEY (conversation_id) REFERENCES conversations (id),
  ADD FOREIGN KEY (user_id) REFERENCES users (id);

ALTER TABLE documents
  ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  ADD FOREIGN KEY (user_id) REFERENCES users (id);

ALTER TABLE document_chunks
  ADD FOREIGN KEY (document_id) REFERENCES documents (id);

ALTER TABLE groves
  ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  ADD FOREIGN KEY (client_app_id) REFERENCES client_apps (id);

ALTER TABLE branches
  ADD FOREIGN KEY (grove_id) REFERENCES groves (id);

CREATE INDEX client_apps_tenant_id_idx ON client_apps (tenant_id);
CREATE INDEX users_tenant_id_idx ON users (tenant_id);
CREATE INDEX document_chunks_document_id_idx ON document_chunks (document_id);
