-- The demo application's workload, as its ORM sends it: one block per query,
-- "-- name:" and "-- calls_per_minute:" headers, a comment saying what the app
-- does with it, then the statement with $n parameters.

-- name: login_by_email
-- calls_per_minute: 300
-- Sign-in looks the user up by e-mail address.
SELECT id, tenant_id, name, status FROM users WHERE email = $1 AND deleted_at IS NULL;

-- name: user_by_id
-- calls_per_minute: 600
-- Every authenticated request loads its user.
SELECT id, tenant_id, email, name, status FROM users WHERE id = $1;

-- name: client_app_by_api_key
-- calls_per_minute: 400
-- API requests resolve their client app from the key.
SELECT id, tenant_id, name FROM client_apps WHERE api_key = $1 AND deleted_at IS NULL;

-- name: latest_conversations_of_user
-- calls_per_minute: 200
-- The sidebar: a user's most recently active conversations.
SELECT id, title, updated_at FROM conversations
WHERE user_id = $1 AND deleted_at IS NULL
ORDER BY updated_at DESC LIMIT 20;

-- name: messages_of_conversation
-- calls_per_minute: 500
-- Opening a conversation shows its messages in order.
SELECT id, role, body, created_at FROM messages
WHERE conversation_id = $1 AND deleted_at IS NULL
ORDER BY created_at LIMIT 100;

-- name: new_messages_since
-- calls_per_minute: 300
-- The client polls for messages newer than the last one it has.
SELECT id, role, body, created_at FROM messages
WHERE conversation_id = $1 AND created_at > $2
ORDER BY created_at;

-- name: count_messages_of_conversation
-- calls_per_minute: 100
-- The conversation header shows how many messages it holds.
SELECT count(*) FROM messages WHERE conversation_id = $1 AND deleted_at IS NULL;

-- name: older_messages_page
-- calls_per_minute: 150
-- Scrolling up loads older messages with keyset pagination.
SELECT id, role, body, created_at FROM messages
WHERE conversation_id = $1 AND (created_at, id) < ($2, $3)
ORDER BY created_at DESC, id DESC LIMIT 50;

-- name: documents_of_user_by_status
-- calls_per_minute: 120
-- The library page filters a user's documents by status.
SELECT id, title, status, created_at FROM documents
WHERE user_id = $1 AND status = $2 AND deleted_at IS NULL
ORDER BY created_at DESC LIMIT 50;

-- name: chunks_of_document_in_order
-- calls_per_minute: 250
-- Retrieval reads a document's chunks in order.
SELECT id, chunk_index, content FROM document_chunks
WHERE document_id = $1 ORDER BY chunk_index;

-- name: pending_documents_queue
-- calls_per_minute: 60
-- The ingestion worker takes the oldest pending documents.
SELECT id, user_id, title FROM documents
WHERE status = 'pending' AND deleted_at IS NULL
ORDER BY created_at LIMIT 10;

-- name: groves_of_client_app
-- calls_per_minute: 60
-- The admin console lists a client app's groves.
SELECT id, name, created_at FROM groves
WHERE client_app_id = $1 AND deleted_at IS NULL
ORDER BY created_at DESC;

-- name: branches_of_grove_by_status
-- calls_per_minute: 80
-- A grove's branches, filtered by status, newest activity first.
SELECT id, name, status, updated_at FROM branches
WHERE grove_id = $1 AND status = $2
ORDER BY updated_at DESC;

-- name: active_branches_of_client_app
-- calls_per_minute: 25
-- The dashboard counts work in progress across an app's groves.
SELECT b.id, b.name, g.name AS grove FROM branches b
JOIN groves g ON g.id = b.grove_id
WHERE g.client_app_id = $1 AND b.status = 'active';

-- name: tenant_users_page
-- calls_per_minute: 30
-- Tenant admins page through their users, newest first.
SELECT id, email, name, status FROM users
WHERE tenant_id = $1 AND deleted_at IS NULL
ORDER BY created_at DESC LIMIT 50;

-- name: recently_active_users_of_tenant
-- calls_per_minute: 10
-- Who used the product lately.
SELECT id, email, last_login_at FROM users
WHERE tenant_id = $1 AND last_login_at > $2
ORDER BY last_login_at DESC LIMIT 20;

-- name: recent_documents_of_tenant
-- calls_per_minute: 20
-- Tenant-wide activity feed of documents.
SELECT id, title, status, created_at FROM documents
WHERE tenant_id = $1 AND created_at >= $2 AND deleted_at IS NULL
ORDER BY created_at DESC LIMIT 100;

-- name: open_conversations_of_tenant
-- calls_per_minute: 10
-- Billing counts a tenant's open conversations.
SELECT count(*) FROM conversations
WHERE tenant_id = $1 AND status = 'open' AND deleted_at IS NULL;

-- name: conversations_of_client_app
-- calls_per_minute: 15
-- Per-app analytics: recent conversations started through one app.
SELECT id, title, created_at FROM conversations
WHERE client_app_id = $1 AND created_at >= $2
ORDER BY created_at DESC LIMIT 50;

-- name: recent_messages_of_user
-- calls_per_minute: 40
-- The activity tab joins a user's conversations with their recent messages.
SELECT c.id, c.title, m.body, m.created_at FROM conversations c
JOIN messages m ON m.conversation_id = c.id
WHERE c.user_id = $1 AND c.deleted_at IS NULL AND m.created_at > $2
ORDER BY m.created_at DESC LIMIT 20;

-- name: documents_of_user_with_chunk_counts
-- calls_per_minute: 20
-- The library shows how many chunks each document was split into.
SELECT d.id, d.title, count(ch.id) AS chunks FROM documents d
JOIN document_chunks ch ON ch.document_id = d.id
WHERE d.user_id = $1 AND d.deleted_at IS NULL
GROUP BY d.id, d.title;

-- name: messages_of_user_since
-- calls_per_minute: 15
-- Rate limiting counts a user's messages in the last hour.
SELECT count(*) FROM messages WHERE user_id = $1 AND created_at >= $2;

-- name: tenant_daily_tokens
-- calls_per_minute: 5
-- Usage reports sum tokens per day for a tenant.
SELECT date_trunc('day', created_at) AS day, sum(token_count) AS tokens FROM messages
WHERE tenant_id = $1 AND created_at >= $2
GROUP BY 1 ORDER BY 1;

-- name: insert_message
-- calls_per_minute: 250
-- Every chat turn writes a message.
INSERT INTO messages (id, tenant_id, conversation_id, user_id, role, body, token_count, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, now());

-- name: touch_conversation
-- calls_per_minute: 200
-- Each new message bumps its conversation.
UPDATE conversations SET updated_at = now() WHERE id = $1;

-- name: update_document_status
-- calls_per_minute: 40
-- The ingestion worker moves documents through their states.
UPDATE documents SET status = $2, updated_at = now() WHERE id = $1;

-- name: soft_delete_conversation
-- calls_per_minute: 5
-- Users delete conversations; rows are kept with deleted_at set.
UPDATE conversations SET deleted_at = now() WHERE id = $1 AND user_id = $2;

-- name: delete_chunks_of_document
-- calls_per_minute: 10
-- Re-ingesting a document replaces its chunks.
DELETE FROM document_chunks WHERE document_id = $1;

-- name: documents_by_metadata
-- calls_per_minute: 30
-- Integrations find the document they synced by the metadata they attached to it (source, external id).
SELECT id, title, status FROM documents WHERE metadata @> $1 AND deleted_at IS NULL;

-- name: search_messages
-- calls_per_minute: 20
-- Support staff search every conversation's messages for a phrase.
SELECT id, conversation_id, created_at FROM messages WHERE body ILIKE $1;
