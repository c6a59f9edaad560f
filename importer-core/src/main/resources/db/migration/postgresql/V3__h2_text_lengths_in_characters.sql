-- Nothing to do on PostgreSQL: a VARCHAR(n) already holds n characters of any kind.
-- On H2 this version widens VARCHAR(n) to hold n characters counted in UTF-16 units (see h2/V3);
-- the version exists here too so that every dialect is at the same schema version.
SELECT 1;
