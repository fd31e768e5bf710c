/// praas-db's library: the domain model, state files, and the repository
/// layer over SQLite that the `praas-db` command line is built on.
public enum PraaSDB {
    /// The version of the library and the command line.
    public static let version = "0.1.0"
}
