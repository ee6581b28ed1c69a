/// The load generator proper (rate schedules, fleets, embedded cluster, faults)
/// is built here on `Client`; measurement lives in `Metrics`, profiles in `Profiles`.
public enum LoadGen {}
