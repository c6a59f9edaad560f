-- Reference schema (DESIGN.md §4) for MySQL 8 / MariaDB 10.5+.
-- Natural-key text columns use a binary collation: safeimport normalises keys itself
-- (trimmed, case-insensitive) and must never have the server silently merge 'José' and 'Jose'.

CREATE TABLE ladder (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  ladder      VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
  title       VARCHAR(200),
  description VARCHAR(2000),
  CONSTRAINT uk_ladder UNIQUE (ladder)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ladder_aspect (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  ladder_id   BIGINT NOT NULL,
  aspect      VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
  title       VARCHAR(200),
  description VARCHAR(2000),
  CONSTRAINT uk_ladder_aspect UNIQUE (ladder_id, aspect),
  CONSTRAINT fk_ladder_aspect_ladder FOREIGN KEY (ladder_id) REFERENCES ladder (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ladder_level (
  id           BIGINT AUTO_INCREMENT PRIMARY KEY,
  ladder_id    BIGINT NOT NULL,
  level        INT NOT NULL,
  title        VARCHAR(200),
  description  VARCHAR(2000),
  pay_band_min DECIMAL(14,2),
  pay_band_max DECIMAL(14,2),
  CONSTRAINT uk_ladder_level UNIQUE (ladder_id, level),
  CONSTRAINT fk_ladder_level_ladder FOREIGN KEY (ladder_id) REFERENCES ladder (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE organization (
  id           BIGINT AUTO_INCREMENT PRIMARY KEY,
  organization VARCHAR(200) COLLATE utf8mb4_bin NOT NULL,
  description  VARCHAR(2000),
  CONSTRAINT uk_organization UNIQUE (organization)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE app_user (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  email       VARCHAR(254) COLLATE utf8mb4_bin NOT NULL,
  first_name  VARCHAR(200),
  last_name   VARCHAR(200),
  title       VARCHAR(200),
  team_id     BIGINT,
  chapter_id  BIGINT,
  level_id    BIGINT,
  manager_id  BIGINT,
  hired_on    DATE,
  active      BOOLEAN NOT NULL DEFAULT TRUE,
  CONSTRAINT uk_app_user_email UNIQUE (email),
  CONSTRAINT fk_app_user_level FOREIGN KEY (level_id) REFERENCES ladder_level (id),
  CONSTRAINT fk_app_user_manager FOREIGN KEY (manager_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE chapter (
  id              BIGINT AUTO_INCREMENT PRIMARY KEY,
  chapter         VARCHAR(200) COLLATE utf8mb4_bin NOT NULL,
  organization_id BIGINT NOT NULL,
  leader_id       BIGINT,
  description     VARCHAR(2000),
  CONSTRAINT uk_chapter UNIQUE (chapter),
  CONSTRAINT fk_chapter_organization FOREIGN KEY (organization_id) REFERENCES organization (id),
  CONSTRAINT fk_chapter_leader FOREIGN KEY (leader_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE tribe (
  id              BIGINT AUTO_INCREMENT PRIMARY KEY,
  tribe           VARCHAR(200) COLLATE utf8mb4_bin NOT NULL,
  organization_id BIGINT NOT NULL,
  leader_id       BIGINT,
  description     VARCHAR(2000),
  CONSTRAINT uk_tribe UNIQUE (tribe),
  CONSTRAINT fk_tribe_organization FOREIGN KEY (organization_id) REFERENCES organization (id),
  CONSTRAINT fk_tribe_leader FOREIGN KEY (leader_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE team (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  team        VARCHAR(200) COLLATE utf8mb4_bin NOT NULL,
  tribe_id    BIGINT NOT NULL,
  department  VARCHAR(200) NOT NULL,
  leader_id   BIGINT,
  description VARCHAR(2000),
  CONSTRAINT uk_team UNIQUE (team),
  CONSTRAINT fk_team_tribe FOREIGN KEY (tribe_id) REFERENCES tribe (id),
  CONSTRAINT fk_team_leader FOREIGN KEY (leader_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE app_user
  ADD CONSTRAINT fk_app_user_team FOREIGN KEY (team_id) REFERENCES team (id),
  ADD CONSTRAINT fk_app_user_chapter FOREIGN KEY (chapter_id) REFERENCES chapter (id);

CREATE TABLE timeline_event (
  id             BIGINT AUTO_INCREMENT PRIMARY KEY,
  user_id        BIGINT NOT NULL,
  event_type     VARCHAR(40) NOT NULL,
  effective_date DATE NOT NULL,
  summary        VARCHAR(2000),
  level_id       BIGINT,
  title          VARCHAR(200),
  team_id        BIGINT,
  salary         DECIMAL(14,2),
  currency       CHAR(3),
  pay_band       VARCHAR(50),
  CONSTRAINT uk_timeline_event UNIQUE (user_id, event_type, effective_date),
  CONSTRAINT fk_timeline_event_user FOREIGN KEY (user_id) REFERENCES app_user (id),
  CONSTRAINT fk_timeline_event_level FOREIGN KEY (level_id) REFERENCES ladder_level (id),
  CONSTRAINT fk_timeline_event_team FOREIGN KEY (team_id) REFERENCES team (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE compensation_snapshot (
  id             BIGINT AUTO_INCREMENT PRIMARY KEY,
  event_id       BIGINT NOT NULL,
  user_id        BIGINT NOT NULL,
  effective_date DATE NOT NULL,
  salary         DECIMAL(14,2) NOT NULL,
  currency       CHAR(3),
  pay_band       VARCHAR(50),
  CONSTRAINT uk_compensation_snapshot UNIQUE (event_id),
  CONSTRAINT fk_compensation_snapshot_event FOREIGN KEY (event_id) REFERENCES timeline_event (id),
  CONSTRAINT fk_compensation_snapshot_user FOREIGN KEY (user_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE seniority_snapshot (
  id             BIGINT AUTO_INCREMENT PRIMARY KEY,
  event_id       BIGINT NOT NULL,
  user_id        BIGINT NOT NULL,
  effective_date DATE NOT NULL,
  level_id       BIGINT NOT NULL,
  CONSTRAINT uk_seniority_snapshot UNIQUE (event_id),
  CONSTRAINT fk_seniority_snapshot_event FOREIGN KEY (event_id) REFERENCES timeline_event (id),
  CONSTRAINT fk_seniority_snapshot_user FOREIGN KEY (user_id) REFERENCES app_user (id),
  CONSTRAINT fk_seniority_snapshot_level FOREIGN KEY (level_id) REFERENCES ladder_level (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
