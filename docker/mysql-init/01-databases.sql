-- Runs once, when the mysql container initialises an empty data volume (docker-compose.yml mounts this folder on
-- /docker-entrypoint-initdb.d). One schema per service (each service owns its schema; nobody else reads it) and the
-- `app` user the services connect as. utf8mb4_unicode_ci matches the local MariaDB, so the migrations that the
-- services generate and run there behave the same on MySQL 8.4.
--
-- DEMO CREDENTIALS: app/app is for the local compose stack only. Kubernetes deployments use a managed MySQL whose
-- users and passwords come from the secret store (k8s/README.md).

CREATE DATABASE IF NOT EXISTS relationship_identity CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS relationship_profiles CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS relationship_managers CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS relationship_matching CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS relationship_analytics CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'app';

-- ALL on its own schemas only: the services create and alter their tables (migrations at start-up).
GRANT ALL PRIVILEGES ON relationship_identity.* TO 'app'@'%';
GRANT ALL PRIVILEGES ON relationship_profiles.* TO 'app'@'%';
GRANT ALL PRIVILEGES ON relationship_managers.* TO 'app'@'%';
GRANT ALL PRIVILEGES ON relationship_matching.* TO 'app'@'%';
GRANT ALL PRIVILEGES ON relationship_analytics.* TO 'app'@'%';
FLUSH PRIVILEGES;
