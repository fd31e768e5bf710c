import Suggestions

extension Repository {
    /// Checks that `customer` is the customer of a container in the history: one
    /// registered now or before, or one that a change tried to register.
    ///
    /// - Throws: `.notFound`, naming the nearest customer when one is a likely typo.
    func checkCustomerInHistory(_ customer: String) throws {
        guard try database.scalarInt("SELECT 1 FROM history WHERE customer = ? LIMIT 1", customer) == nil else { return }
        let customers = try database.rows("SELECT DISTINCT customer FROM history WHERE customer IS NOT NULL") { $0.string(0) }
        var message = "customer \(JSONWriter.quoted(customer)) not found in the history"
        if let match = EditDistance.closest(to: customer, among: customers) {
            message += "; did you mean \(JSONWriter.quoted(match))?"
        } else {
            message += "; 'praas-db containers' lists the customers of the registered containers"
        }
        throw PraaSError(.notFound, message)
    }

    /// Checks that `container` names a container in the history: one registered
    /// now or before, or one that a change tried to register.
    ///
    /// - Throws: `.notFound`, naming the nearest container when one is a likely typo.
    func checkContainerInHistory(_ container: String) throws {
        guard try database.scalarInt("SELECT 1 FROM history WHERE container = ? LIMIT 1", container) == nil else { return }
        let containers = try database.rows("SELECT DISTINCT container FROM history WHERE container IS NOT NULL") { $0.string(0) }
        var message = "container \(JSONWriter.quoted(container)) not found in the history"
        if let match = EditDistance.closest(to: container, among: containers) {
            message += "; did you mean \(JSONWriter.quoted(match))?"
        } else {
            message += "; 'praas-db containers' lists the registered containers"
        }
        throw PraaSError(.notFound, message)
    }
}
