-- Pay-as-you-go prices: a base price per container-hour, scaled by a
-- multiplier for each distribution model and node depth. Every price change
-- adds a new version of the whole price list with the time it takes effect,
-- so a bill for any past period uses the prices that were in force then.
--
-- Amounts are exact integers: prices in hundredths of the currency unit,
-- multipliers in thousandths (per mille), and hourly rates in millionths
-- (micros). No binary floating point is involved anywhere.

-- One row per version of the price list. A version is in force from
-- effective_at until the next version's effective_at. Of two versions with the
-- same effective_at, the one with the higher id wins.
CREATE TABLE price_lists (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    effective_at TEXT NOT NULL,  -- UTC, ISO 8601 with milliseconds
    -- ISO 4217 code. Changing the currency does not convert amounts.
    currency TEXT NOT NULL CHECK (length(currency) = 3 AND currency GLOB '[A-Z][A-Z][A-Z]'),
    -- The price of one container on one node for one hour, before the multiplier.
    base_price_hundredths INTEGER NOT NULL CHECK (base_price_hundredths BETWEEN 0 AND 10000000),
    -- The multiplier at depth 0 (the root, in the ISP's data centre), whatever the model.
    depth0_multiplier_per_mille INTEGER NOT NULL CHECK (depth0_multiplier_per_mille BETWEEN 0 AND 100000),
    created_at TEXT NOT NULL,    -- UTC, ISO 8601 with milliseconds
    created_by TEXT NOT NULL
) STRICT;

CREATE INDEX price_lists_by_time ON price_lists (effective_at, id);

-- The multipliers of one version for depths 1 and deeper. A depth without a
-- row takes the multiplier of the nearest shallower depth that has one, so the
-- deepest row also applies to every depth below it.
CREATE TABLE price_multipliers (
    price_list_id INTEGER NOT NULL REFERENCES price_lists (id),
    model TEXT NOT NULL CHECK (model IN ('balloon', 'fog', 'micro')),
    depth INTEGER NOT NULL CHECK (depth >= 1),
    multiplier_per_mille INTEGER NOT NULL CHECK (multiplier_per_mille BETWEEN 0 AND 100000),
    PRIMARY KEY (price_list_id, model, depth)
) STRICT, WITHOUT ROWID;

-- Bills depend on every version ever in force, so versions are never changed
-- or deleted: a price change adds a version.
CREATE TRIGGER price_lists_no_update BEFORE UPDATE ON price_lists
BEGIN
    SELECT RAISE(ABORT, 'price lists are append-only: add a version instead of changing one');
END;

CREATE TRIGGER price_lists_no_delete BEFORE DELETE ON price_lists
BEGIN
    SELECT RAISE(ABORT, 'price lists are append-only: their versions cannot be deleted');
END;

CREATE TRIGGER price_multipliers_no_update BEFORE UPDATE ON price_multipliers
BEGIN
    SELECT RAISE(ABORT, 'price lists are append-only: add a version instead of changing one');
END;

CREATE TRIGGER price_multipliers_no_delete BEFORE DELETE ON price_multipliers
BEGIN
    SELECT RAISE(ABORT, 'price lists are append-only: their versions cannot be deleted');
END;

-- The default price list, in force from the Unix epoch so that every placement
-- in the history has a price: 10.00 NOK per container-hour, and multipliers
--   depth 0 (root): 0.5 for every model
--   balloon: 1.0, 1.0, 1.3, 1.5, 1.7, 1.9 at depths 1 to 6
--   fog:     1.1, 1.2, 1.3, 1.4, 1.5, 1.6 at depths 1 to 6 (1 + depth / 10)
--   micro:   2.1, 2.2, 2.3, 2.4, 2.5, 2.6 at depths 1 to 6 (2 + depth / 10)
INSERT INTO price_lists (effective_at, currency, base_price_hundredths, depth0_multiplier_per_mille, created_at, created_by)
VALUES ('1970-01-01T00:00:00.000Z', 'NOK', 1000, 500, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'praas-db');

INSERT INTO price_multipliers (price_list_id, model, depth, multiplier_per_mille)
SELECT last_insert_rowid(), m.column1, m.column2, m.column3
FROM (VALUES
    ('balloon', 1, 1000), ('balloon', 2, 1000), ('balloon', 3, 1300),
    ('balloon', 4, 1500), ('balloon', 5, 1700), ('balloon', 6, 1900),
    ('fog', 1, 1100), ('fog', 2, 1200), ('fog', 3, 1300),
    ('fog', 4, 1400), ('fog', 5, 1500), ('fog', 6, 1600),
    ('micro', 1, 2100), ('micro', 2, 2200), ('micro', 3, 2300),
    ('micro', 4, 2400), ('micro', 5, 2500), ('micro', 6, 2600)
) m;

-- Each version with the time it stops being in force: the next version's
-- effective_at, or NULL for the newest. A version that another one with the
-- same effective_at replaces has from_at = to_at and is never in force.
CREATE VIEW price_periods AS
SELECT
    p.id AS price_list_id,
    p.effective_at AS from_at,
    (
        SELECT n.effective_at FROM price_lists n
        WHERE (n.effective_at, n.id) > (p.effective_at, p.id)
        ORDER BY n.effective_at, n.id
        LIMIT 1
    ) AS to_at,
    p.currency,
    p.base_price_hundredths,
    p.depth0_multiplier_per_mille
FROM price_lists p;

-- The hourly rate of one container on one node, for every version, model and
-- depth that a node has. hourly_rate_micros is the base price times the
-- multiplier, in millionths of the currency unit. It is exact, because
-- hundredths times thousandths are hundred-thousandths.
CREATE VIEW price_rates AS
SELECT
    price_list_id,
    from_at,
    to_at,
    currency,
    model,
    depth,
    multiplier_per_mille,
    base_price_hundredths * multiplier_per_mille * 10 AS hourly_rate_micros
FROM (
    SELECT
        p.price_list_id,
        p.from_at,
        p.to_at,
        p.currency,
        p.base_price_hundredths,
        m.column1 AS model,
        d.depth,
        CASE WHEN d.depth = 0 THEN p.depth0_multiplier_per_mille ELSE (
            SELECT r.multiplier_per_mille FROM price_multipliers r
            WHERE r.price_list_id = p.price_list_id AND r.model = m.column1 AND r.depth <= d.depth
            ORDER BY r.depth DESC
            LIMIT 1
        ) END AS multiplier_per_mille
    FROM price_periods p
    CROSS JOIN (SELECT DISTINCT depth FROM nodes) d
    CROSS JOIN (VALUES ('balloon'), ('fog'), ('micro')) m
);
