//! Errors of the model crate: parsing values that come from users.

/// A value given by a user (a date, a document) could not be understood.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A date that is not `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an ISO 8601 date-time.
    #[error("invalid date {input:?}: expected YYYY-MM-DD (or an ISO 8601 date-time)")]
    InvalidDate {
        /// The text that was given.
        input: String,
    },
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;
