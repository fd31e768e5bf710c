import Suggestions

extension Repository {
    /// Checks that `customer` is the customer of a container in the history: one
    /// registered now or before, or one that a change tried to register.
    ///
    /// - Throws: `.notFound`, naming the nearest customer when one is a likely typo.
    func checkCustomerInHistory(_ customer: String) throws {
        try checkInHistory(customer, HistoryName.customer)
    }

    /// Checks that `container` names a container in the history: one registered
    /// now or before, or one that a change tried to register.
    ///
    /// - Throws: `.notFound`, naming the nearest container when one is a likely typo.
    func checkContainerInHistory(_ container: String) throws {
        try checkInHistory(container, HistoryName.container)
    }

    private func checkInHistory(_ value: String, _ kind: HistoryName) throws {
        guard try database.scalarInt(kind.lookupSQL, value) == nil else { return }
        let known = try database.rows(kind.distinctSQL) { $0.string(0) }
        var message = "\(kind.noun) \(JSONWriter.quoted(value)) not found in the history"
        if let match = EditDistance.closest(to: value, among: known) {
            message += "; did you mean \(JSONWriter.quoted(match))?"
        } else {
            message += "; \(kind.hint)"
        }
        throw PraaSError(.notFound, message)
    }
}

/// A column of the history that a filter names, with its queries and the hint for a name not found.
private struct HistoryName {
    let noun: String
    let lookupSQL: String
    let distinctSQL: String
    let hint: String

    static let customer = HistoryName(
        noun: "customer",
        lookupSQL: "SELECT 1 FROM history WHERE customer = ? LIMIT 1",
        distinctSQL: "SELECT DISTINCT customer FROM history WHERE customer IS NOT NULL",
        hint: "'praas-db containers' lists the customers of the registered containers")

    static let container = HistoryName(
        noun: "container",
        lookupSQL: "SELECT 1 FROM history WHERE container = ? LIMIT 1",
        distinctSQL: "SELECT DISTINCT container FROM history WHERE container IS NOT NULL",
        hint: "'praas-db containers' lists the registered containers")
}
