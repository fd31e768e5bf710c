import Foundation

extension Repository {
    /// Returns the price list in force at `date`, or now when `date` is nil.
    public func priceList(at date: Date? = nil) throws -> PriceList {
        try perform("reading the prices") {
            try database.transaction(.deferred) {
                try priceListInForce(at: Timestamp.format(date ?? options.clock()))
            }
        }
    }

    /// Returns every version of the price list, oldest first, including versions
    /// that take effect in the future.
    public func priceLists() throws -> [PriceList] {
        try perform("reading the prices") {
            try database.transaction(.deferred) {
                let ids = try database.rows("SELECT id FROM price_lists ORDER BY effective_at, id") { $0.int(0) }
                return try ids.map(loadPriceList)
            }
        }
    }

    /// Adds a version of the price list with `change` applied to the newest
    /// version, and records a `price_changed` event with the old and new values.
    /// Values equal to those of the newest version are left out; when nothing
    /// differs, nothing is written.
    ///
    /// - Throws: `.invalidArgument` for a value out of range, a currency change
    ///   without a base price, or a time before now. `.conflict` for a time
    ///   before the newest version's.
    @discardableResult
    public func setPrices(_ change: PriceChange) throws -> PriceUpdate {
        try validate(change)
        return try perform("changing the prices") {
            try database.transaction(.immediate) {
                let now = Timestamp.format(options.clock())
                let effectiveAt = change.effectiveAt.map(Timestamp.format) ?? now
                guard effectiveAt >= now else {
                    throw PraaSError(
                        .invalidArgument,
                        "a price change cannot take effect in the past: \(effectiveAt) is before now (\(now)), "
                            + "and bills for past periods must not change")
                }
                let newestID = try database.scalarInt("SELECT id FROM price_lists ORDER BY effective_at DESC, id DESC LIMIT 1")
                guard let newestID else {
                    throw PraaSError(.corruptDatabase, "the database has no price list; restore it from a backup")
                }
                let previous = try loadPriceList(newestID)
                guard effectiveAt >= previous.effectiveAt else {
                    throw PraaSError(
                        .conflict,
                        "price list \(previous.id) takes effect at \(previous.effectiveAt), after \(effectiveAt); "
                            + "a new price change must take effect at or after it. To change or cancel the scheduled "
                            + "prices, set them again with --from \(previous.effectiveAt), which replaces price list "
                            + "\(previous.id)")
                }

                let differences = Self.differences(applying: change, to: previous)
                if let currency = change.currency, currency != previous.currency, change.basePriceHundredths == nil {
                    throw PraaSError(
                        .invalidArgument,
                        "changing the currency from \(previous.currency) to \(currency) needs a base price in \(currency), "
                            + "because amounts are not converted")
                }
                guard !differences.isEmpty else {
                    return PriceUpdate(previous: previous, added: nil, differences: [])
                }
                let next = Self.applying(change, to: previous)
                let id = try insertPriceList(next, effectiveAt: effectiveAt, createdAt: now)
                // One clock reading for the version and its event, so the times match.
                try HistoryWriter(database: database, actor: options.actor, at: now).record(
                    .priceChanged, revision: try revision(),
                    details: Self.historyDetails(priceListID: id, effectiveAt: effectiveAt, differences: differences))
                return PriceUpdate(previous: previous, added: try loadPriceList(id), differences: differences)
            }
        }
    }

    // MARK: - Reading

    /// The version in force at `timestamp`: the one with the latest effective time
    /// at or before it, the newest of those on a tie.
    func priceListInForce(at timestamp: String) throws -> PriceList {
        let id = try database.scalarInt(
            "SELECT id FROM price_lists WHERE effective_at <= ? ORDER BY effective_at DESC, id DESC LIMIT 1", timestamp)
        guard let id else {
            throw PraaSError(.notFound, "no price list was in force at \(timestamp)")
        }
        return try loadPriceList(id)
    }

    func loadPriceList(_ id: Int) throws -> PriceList {
        let list = try database.firstRow(
            """
            SELECT id, effective_at, currency, base_price_hundredths, depth0_multiplier_per_mille, created_at, created_by
            FROM price_lists WHERE id = ?
            """, id
        ) { row in
            PriceList(
                id: row.int(0), effectiveAt: row.string(1), currency: row.string(2), basePriceHundredths: row.int64(3),
                depth0MultiplierPerMille: row.int(4), multipliers: [], createdAt: row.string(5), createdBy: row.string(6))
        }
        guard var list else {
            throw PraaSError(.notFound, "price list \(id) not found")
        }
        list.multipliers = try database.rows(
            """
            SELECT model, depth, multiplier_per_mille FROM price_multipliers WHERE price_list_id = ?
            ORDER BY CASE model WHEN 'balloon' THEN 1 WHEN 'fog' THEN 2 ELSE 3 END, depth
            """, id
        ) { row in
            PriceList.Multiplier(model: PlacementModel(rawValue: row.string(0)) ?? .micro, depth: row.int(1), perMille: row.int(2))
        }
        return list
    }

    // MARK: - Writing

    private func validate(_ change: PriceChange) throws {
        if let currency = change.currency {
            _ = try Pricing.parseCurrency(currency)
            guard currency == currency.uppercased() else {
                throw PraaSError(.invalidArgument, "invalid currency '\(currency)': \(Pricing.currencyProblem) in upper case")
            }
        }
        if let base = change.basePriceHundredths, !(0...Pricing.maxBasePriceHundredths).contains(base) {
            throw PraaSError(
                .invalidArgument,
                "invalid base price of \(base) hundredths: expected 0 to \(Pricing.maxBasePriceHundredths) hundredths")
        }
        let multipliers = change.multipliers.map(\.perMille) + (change.depth0MultiplierPerMille.map { [$0] } ?? [])
        for perMille in multipliers where !(0...Pricing.maxMultiplierPerMille).contains(perMille) {
            throw PraaSError(
                .invalidArgument,
                "invalid multiplier of \(perMille) thousandths: expected 0 to \(Pricing.maxMultiplierPerMille) thousandths")
        }
        for multiplier in change.multipliers where multiplier.depth < 1 {
            throw PraaSError(
                .invalidArgument,
                "invalid depth \(multiplier.depth) for a \(multiplier.model.rawValue) multiplier: expected 1 or more; "
                    + "depth 0 has one multiplier for every model, set with the depth-0 multiplier")
        }
    }

    /// Returns the values of `change` that differ from `list`.
    private static func differences(applying change: PriceChange, to list: PriceList) -> [PriceDifference] {
        var differences: [PriceDifference] = []
        if let currency = change.currency, currency != list.currency {
            differences.append(.currency(from: list.currency, to: currency))
        }
        if let base = change.basePriceHundredths, base != list.basePriceHundredths {
            differences.append(.basePrice(fromHundredths: list.basePriceHundredths, toHundredths: base))
        }
        if let depth0 = change.depth0MultiplierPerMille, depth0 != list.depth0MultiplierPerMille {
            differences.append(.depth0Multiplier(fromPerMille: list.depth0MultiplierPerMille, toPerMille: depth0))
        }
        var stored = list.multipliers
        for multiplier in change.multipliers {
            let index = stored.firstIndex { $0.model == multiplier.model && $0.depth == multiplier.depth }
            let old = index.map { stored[$0].perMille }
            guard old != multiplier.perMille else { continue }
            differences.append(
                .multiplier(model: multiplier.model, depth: multiplier.depth, fromPerMille: old, toPerMille: multiplier.perMille))
            if let index {
                stored[index] = multiplier
            } else {
                stored.append(multiplier)
            }
        }
        return differences
    }

    private static func applying(_ change: PriceChange, to list: PriceList) -> PriceList {
        var next = list
        next.currency = change.currency ?? list.currency
        next.basePriceHundredths = change.basePriceHundredths ?? list.basePriceHundredths
        next.depth0MultiplierPerMille = change.depth0MultiplierPerMille ?? list.depth0MultiplierPerMille
        for multiplier in change.multipliers {
            if let index = next.multipliers.firstIndex(where: { $0.model == multiplier.model && $0.depth == multiplier.depth }) {
                next.multipliers[index] = multiplier
            } else {
                next.multipliers.append(multiplier)
            }
        }
        return next
    }

    private func insertPriceList(_ list: PriceList, effectiveAt: String, createdAt: String) throws -> Int {
        try database.run(
            """
            INSERT INTO price_lists (effective_at, currency, base_price_hundredths, depth0_multiplier_per_mille, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            effectiveAt, list.currency, list.basePriceHundredths, list.depth0MultiplierPerMille, createdAt, options.actor)
        let id = Int(database.lastInsertRowID)
        for multiplier in list.multipliers {
            try database.run(
                "INSERT INTO price_multipliers (price_list_id, model, depth, multiplier_per_mille) VALUES (?, ?, ?, ?)",
                id, multiplier.model.rawValue, multiplier.depth, multiplier.perMille)
        }
        return id
    }

    /// The `price_changed` event's details: the new version, when it takes effect,
    /// and each changed value before and after, in the database's units, such as
    /// `{"setting":"base_price_hundredths","from":1000,"to":1200}`.
    private static func historyDetails(priceListID: Int, effectiveAt: String, differences: [PriceDifference]) -> String {
        var json = JSONWriter(indent: 0)
        json.beginObject()
        json.key("price_list_id")
        json.integer(priceListID)
        json.key("effective_at")
        json.string(effectiveAt)

        json.key("changes")
        json.beginArray()
        for difference in differences {
            json.beginObject()
            json.key("setting")
            switch difference {
            case .currency(let from, let to):
                json.string("currency")
                json.key("from")
                json.string(from)
                json.key("to")
                json.string(to)
            case .basePrice(let from, let to):
                json.string("base_price_hundredths")
                json.key("from")
                json.raw(String(from))
                json.key("to")
                json.raw(String(to))
            case .depth0Multiplier(let from, let to):
                json.string("depth0_multiplier_per_mille")
                json.key("from")
                json.integer(from)
                json.key("to")
                json.integer(to)
            case .multiplier(let model, let depth, let from, let to):
                json.string("multiplier_per_mille")
                json.key("model")
                json.string(model.rawValue)
                json.key("depth")
                json.integer(depth)
                json.key("from")
                if let from { json.integer(from) } else { json.null() }
                json.key("to")
                json.integer(to)
            }
            json.endObject()
        }
        json.endArray()

        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }
}
