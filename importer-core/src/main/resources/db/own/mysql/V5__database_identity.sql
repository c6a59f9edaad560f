-- This database's identity, generated once: every snapshot manifest records it, so a snapshot
-- taken on one database is never restored into another (a copy of ./data elsewhere, another --db).
CREATE TABLE safeimport_database (
  id          INT NOT NULL PRIMARY KEY,
  database_id VARCHAR(36) NOT NULL,
  created_at  TIMESTAMP(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO safeimport_database (id, database_id, created_at) VALUES (1, UUID(), CURRENT_TIMESTAMP(3));
