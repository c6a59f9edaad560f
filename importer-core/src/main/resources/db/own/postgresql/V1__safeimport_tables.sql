-- safeimport's own tables for a database that holds only the operator's tables (importers declared in
-- safeimport.yml, DESIGN.md §7): the same tables, in their current shape, as migrations 2, 4 and 5 of
-- db/migration give a database with the reference schema. Nothing else is created, altered or dropped.


CREATE TABLE safeimport_run (
  run_id       VARCHAR(64) NOT NULL PRIMARY KEY,
  importer     VARCHAR(40) NOT NULL,
  mode         VARCHAR(20) NOT NULL,
  status       VARCHAR(20) NOT NULL,
  started_at   TIMESTAMP(3) NOT NULL,
  finished_at  TIMESTAMP(3) NULL,
  csv_path     VARCHAR(1000),
  csv_sha256   CHAR(64),
  snapshot_id  VARCHAR(64),
  rolled_back_by VARCHAR(64),
  counts_json  TEXT,
  host         VARCHAR(255),
  os_user      VARCHAR(255),
  log_file     VARCHAR(1000),
  message      VARCHAR(2000)
);

CREATE INDEX ix_safeimport_run_snapshot ON safeimport_run (snapshot_id);

CREATE TABLE safeimport_environment (
  id          INT NOT NULL PRIMARY KEY,
  environment VARCHAR(20) NOT NULL,
  marked_at   TIMESTAMP(3) NOT NULL,
  marked_by   VARCHAR(255)
);

ALTER TABLE safeimport_run ADD COLUMN manifest_sha256 CHAR(64) NULL;

CREATE TABLE safeimport_database (
  id          INT NOT NULL PRIMARY KEY,
  database_id VARCHAR(36) NOT NULL,
  created_at  TIMESTAMP(3) NOT NULL
);

INSERT INTO safeimport_database (id, database_id, created_at) VALUES (1, CAST(gen_random_uuid() AS VARCHAR(36)), LOCALTIMESTAMP(3));
