public enum PlannerTestsPlaceholder {}
