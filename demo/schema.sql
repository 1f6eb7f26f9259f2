-- The demo application: a multi-tenant AI assistant with conversations, documents
-- and "groves" of branches. It starts as a young app does: primary keys, a few
-- foreign-key indexes, one unique key, no composite indexes.

CREATE TABLE tenants (
  id          bigint PRIMARY KEY,
  name        text NOT NULL,
  plan        text NOT NULL DEFAULT 'free',
  created_at  timestamptz NOT NULL
);

CREATE TABLE client_apps (
  id          bigint PRIMARY KEY,
  tenant_id   bigint NOT NULL REFERENCES tenants (id),
  name        text NOT NULL,
  api_key     text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL,
  deleted_at  timestamptz
);
CREATE INDEX client_apps_tenant_id_idx ON client_apps (tenant_id);

CREATE TABLE users (
  id             bigint PRIMARY KEY,
  tenant_id      bigint NOT NULL REFERENCES tenants (id),
  email          text NOT NULL,
  name           text NOT NULL,
  status         text NOT NULL,
  created_at     timestamptz NOT NULL,
  last_login_at  timestamptz,
  deleted_at     timestamptz
);
CREATE INDEX users_tenant_id_idx ON users (tenant_id);

CREATE TABLE conversations (
  id             bigint PRIMARY KEY,
  tenant_id      bigint NOT NULL REFERENCES tenants (id),
  user_id        bigint NOT NULL REFERENCES users (id),
  client_app_id  bigint NOT NULL REFERENCES client_apps (id),
  title          text NOT NULL,
  status         text NOT NULL,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  deleted_at     timestamptz
);

CREATE TABLE messages (
  id               bigint PRIMARY KEY,
  tenant_id        bigint NOT NULL REFERENCES tenants (id),
  conversation_id  bigint NOT NULL REFERENCES conversations (id),
  user_id          bigint NOT NULL REFERENCES users (id),
  role             text NOT NULL,
  body             text NOT NULL,
  token_count      integer NOT NULL,
  created_at       timestamptz NOT NULL,
  deleted_at       timestamptz
);

CREATE TABLE documents (
  id          bigint PRIMARY KEY,
  tenant_id   bigint NOT NULL REFERENCES tenants (id),
  user_id     bigint NOT NULL REFERENCES users (id),
  title       text NOT NULL,
  status      text NOT NULL,
  mime_type   text NOT NULL,
  size_bytes  integer NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  deleted_at  timestamptz
);

CREATE TABLE document_chunks (
  id           bigint PRIMARY KEY,
  document_id  bigint NOT NULL REFERENCES documents (id),
  chunk_index  integer NOT NULL,
  content      text NOT NULL,
  token_count  integer NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE INDEX document_chunks_document_id_idx ON document_chunks (document_id);

CREATE TABLE groves (
  id             bigint PRIMARY KEY,
  tenant_id      bigint NOT NULL REFERENCES tenants (id),
  client_app_id  bigint NOT NULL REFERENCES client_apps (id),
  name           text NOT NULL,
  created_at     timestamptz NOT NULL,
  deleted_at     timestamptz
);

CREATE TABLE branches (
  id          bigint PRIMARY KEY,
  grove_id    bigint NOT NULL REFERENCES groves (id),
  name        text NOT NULL,
  status      text NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
