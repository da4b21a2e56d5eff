-- An application's own first migration, at Flyway's default location: FlywayMigrationIT checks
-- that dlq's scripts no longer collide with it.
CREATE TABLE app_orders (
  id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  total numeric NOT NULL
);
