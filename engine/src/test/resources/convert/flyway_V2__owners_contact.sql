-- V2: owners get an e-mail address, the phone column its proper name,
-- and visits a longer description.
ALTER TABLE owners ADD COLUMN email varchar(255);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_owners_email ON owners (email) WHERE email IS NOT NULL;
ALTER TABLE owners RENAME COLUMN telephone TO phone;
ALTER TABLE visits ALTER COLUMN description TYPE text USING trim(description);
ALTER TABLE visits ALTER COLUMN visit_date SET DEFAULT CURRENT_DATE;
ALTER TABLE pets ADD CONSTRAINT pets_name_not_empty CHECK (name <> '');
