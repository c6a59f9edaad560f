-- safeimport's own tables: the run history (like Flyway's schema history, an audit trail)
-- and the environment marker that fences destructive commands.

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
