-- the application's own V1, beside dlq's V1 (which a Flyway of its own applies)
CREATE TABLE orders (id text PRIMARY KEY, status text NOT NULL);
