//! The typed PSTN audio model.
