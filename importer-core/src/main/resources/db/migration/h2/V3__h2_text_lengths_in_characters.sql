-- H2 counts a VARCHAR's length in UTF-16 units, MySQL/MariaDB (utf8mb4) in characters: on H2 an emoji
-- takes two of a VARCHAR(n)'s n. safeimport validates lengths in characters (ReferenceSchema), so every
-- VARCHAR(n) of the reference schema becomes VARCHAR(2n) here: n characters of any kind fit, as on the
-- servers. Validation still allows only n characters. currency is CHAR(3) of three ASCII letters: unchanged.

ALTER TABLE ladder ALTER COLUMN ladder SET DATA TYPE VARCHAR(200);
ALTER TABLE ladder ALTER COLUMN title SET DATA TYPE VARCHAR(400);
ALTER TABLE ladder ALTER COLUMN description SET DATA TYPE VARCHAR(4000);
ALTER TABLE ladder_aspect ALTER COLUMN aspect SET DATA TYPE VARCHAR(200);
ALTER TABLE ladder_aspect ALTER COLUMN title SET DATA TYPE VARCHAR(400);
ALTER TABLE ladder_aspect ALTER COLUMN description SET DATA TYPE VARCHAR(4000);
ALTER TABLE ladder_level ALTER COLUMN title SET DATA TYPE VARCHAR(400);
ALTER TABLE ladder_level ALTER COLUMN description SET DATA TYPE VARCHAR(4000);
ALTER TABLE organization ALTER COLUMN organization SET DATA TYPE VARCHAR(400);
ALTER TABLE organization ALTER COLUMN description SET DATA TYPE VARCHAR(4000);
ALTER TABLE app_user ALTER COLUMN email SET DATA TYPE VARCHAR(508);
ALTER TABLE app_user ALTER COLUMN first_name SET DATA TYPE VARCHAR(400);
ALTER TABLE app_user ALTER COLUMN last_name SET DATA TYPE VARCHAR(400);
ALTER TABLE app_user ALTER COLUMN title SET DATA TYPE VARCHAR(400);
ALTER TABLE chapter ALTER COLUMN chapter SET DATA TYPE VARCHAR(400);
ALTER TABLE chapter ALTER COLUMN description SET DATA TYPE VARCHAR(4000);
ALTER TABLE tribe ALTER COLUMN tribe SET DATA TYPE VARCHAR(400);
ALTER TABLE tribe ALTER COLUMN description SET DATA TYPE VARCHAR(4000);
ALTER TABLE team ALTER COLUMN team SET DATA TYPE VARCHAR(400);
ALTER TABLE team ALTER COLUMN department SET DATA TYPE VARCHAR(400);
ALTER TABLE team ALTER COLUMN description SET DATA TYPE VARCHAR(4000);
ALTER TABLE timeline_event ALTER COLUMN event_type SET DATA TYPE VARCHAR(80);
ALTER TABLE timeline_event ALTER COLUMN summary SET DATA TYPE VARCHAR(4000);
ALTER TABLE timeline_event ALTER COLUMN title SET DATA TYPE VARCHAR(400);
ALTER TABLE timeline_event ALTER COLUMN pay_band SET DATA TYPE VARCHAR(100);
ALTER TABLE compensation_snapshot ALTER COLUMN pay_band SET DATA TYPE VARCHAR(100);
