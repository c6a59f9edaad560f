-- The SHA-256 of the snapshot manifest a run committed with: rollback trusts a snapshot folder only
-- when its manifest is exactly the one this database recorded (a swapped or forged snapshot differs).
ALTER TABLE safeimport_run ADD COLUMN manifest_sha256 CHAR(64) NULL;
