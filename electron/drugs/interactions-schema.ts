/**
 * The interaction rule set's own SQLite file (beside the drug referential, installed the same
 * atomic way). Rules name protagonists as the ANSM thesaurus does (a substance or a class, upper
 * case, no accents); `molecule.match_key` is how a BDPM substance name finds its molecule.
 */
export const INTERACTIONS_VERSION = 1;

export const interactionsSchema = `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE molecule (
    name      TEXT PRIMARY KEY,
    match_key TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX molecule_by_key ON molecule (match_key);

  CREATE TABLE molecule_class (
    molecule TEXT NOT NULL,
    class    TEXT NOT NULL,
    PRIMARY KEY (molecule, class)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE rule (
    id           INTEGER PRIMARY KEY,
    protagonist1 TEXT NOT NULL,
    protagonist2 TEXT NOT NULL,
    levels       TEXT NOT NULL CHECK (levels <> ''),   -- "AD,PE"
    severity     TEXT NOT NULL CHECK (severity IN ('CI', 'AD', 'PE', 'PC')),
    description  TEXT NOT NULL,
    drug_text    TEXT NOT NULL,
    mechanism    TEXT NOT NULL,
    text_ci      TEXT NOT NULL,
    text_ad      TEXT NOT NULL,
    text_pe      TEXT NOT NULL,
    text_pc      TEXT NOT NULL,
    source_line  INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX rule_by_protagonist1 ON rule (protagonist1);
  CREATE INDEX rule_by_protagonist2 ON rule (protagonist2);
`;
