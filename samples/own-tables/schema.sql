-- The example application's own tables, as they are before safeimport is ever used: a small
-- Django-style CRM with teams and people. Keys have their own names (team_pk, person_pk), a
-- person's manager is another person, biographies are free text over several lines.
-- setup.sh runs this script in the embedded database; on a server, run it with the server's client.
CREATE TABLE IF NOT EXISTS crm_team (
  team_pk   INT AUTO_INCREMENT PRIMARY KEY,
  name      VARCHAR(80) NOT NULL UNIQUE,
  budget    DECIMAL(12,2)
);

CREATE TABLE IF NOT EXISTS crm_person (
  person_pk  BIGINT AUTO_INCREMENT PRIMARY KEY,
  email      VARCHAR(254) NOT NULL UNIQUE,
  full_name  VARCHAR(150) NOT NULL,
  bio        TEXT,
  started_on DATE,
  is_admin   BOOLEAN NOT NULL DEFAULT FALSE,
  role       ENUM('engineer', 'manager', 'designer') NOT NULL DEFAULT 'engineer',
  team_id    INT NULL,
  manager_id BIGINT NULL,
  CONSTRAINT fk_crm_person_team FOREIGN KEY (team_id) REFERENCES crm_team (team_pk),
  CONSTRAINT fk_crm_person_manager FOREIGN KEY (manager_id) REFERENCES crm_person (person_pk)
);
