//! The messages between the page and its Web Worker: one typed enum each way, sent as JSON (a
//! city's bytes travel beside its message as a transferred `ArrayBuffer`, never as JSON).

use serde::{Deserialize, Serialize};
use within500_engine::{CityConfig, DuelReport, LabConfig};

/// What the page asks of the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ToWorker {
    /// Generate this city and send its bytes.
    Generate {
        /// The city.
        city: CityConfig,
    },
    /// Run the lab on this city for the page's state (its URL query).
    Lab {
        /// The city (generated again in the worker: generation is deterministic).
        city: CityConfig,
        /// The page's state as its URL query.
        state: String,
        /// The attacker, budget, radius, seed and targets.
        config: LabConfig,
        /// The designs' protections on.
        protected: bool,
    },
}

/// What the worker tells the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum FromWorker {
    /// Share of the city generated, or of the lab run, so far.
    Progress {
        /// 0 to 1.
        share: f64,
    },
    /// The city, its bytes moved beside this message.
    City,
    /// The lab's report so far.
    LabProgress {
        /// The report.
        report: DuelReport,
    },
    /// The lab's complete report.
    Report {
        /// The report.
        report: DuelReport,
    },
    /// The work failed: the engine's message.
    Failed {
        /// What went wrong.
        message: String,
    },
    /// The worker's module could not load: the page does the work itself. (The worker's script
    /// writes this one itself, since the module that knows this type did not load.)
    Unavailable {
        /// Why.
        message: String,
    },
}

macro_rules! json {
    ($t:ty, $what:literal) => {
        impl $t {
            /// As JSON.
            #[must_use]
            pub fn to_json(&self) -> String {
                serde_json::to_string(self).unwrap_or_else(|e| unreachable!("a message always serialises: {e}"))
            }

            /// From JSON.
            ///
            /// # Errors
            /// A message naming what is wrong, when the text is not such a message.
            pub fn from_json(text: &str) -> Result<Self, String> {
                serde_json::from_str(text).map_err(|e| format!(concat!("not a message ", $what, ": {}"), e))
            }
        }
    };
}
json!(ToWorker, "to the worker");
json!(FromWorker, "from the worker");

#[cfg(test)]
mod tests {
    use super::*;
    use within500_engine::{AttackerKind, CityConfig};

    #[test]
    fn messages_read_back_and_keep_64_bit_seeds() {
        let city = CityConfig { seed: u64::MAX - 1, people: 1_000, listed_rate: 0.01 };
        for m in [
            ToWorker::Generate { city },
            ToWorker::Lab {
                city,
                state: "seed=1".into(),
                config: LabConfig { attacker: AttackerKind::Oracle, budget: 40, radius_m: 500.0, seed: 1, targets: 0 },
                protected: true,
            },
        ] {
            assert_eq!(ToWorker::from_json(&m.to_json()), Ok(m));
        }
        for m in [FromWorker::Progress { share: 0.5 }, FromWorker::City, FromWorker::Failed { message: "x".into() }] {
            assert_eq!(FromWorker::from_json(&m.to_json()), Ok(m));
        }
    }

    #[test]
    fn the_worker_scripts_own_unavailable_message_reads_and_junk_is_named() {
        // worker.js writes this by hand when the module does not load.
        let js = r#"{"kind":"unavailable","message":"no module"}"#;
        assert_eq!(FromWorker::from_json(js), Ok(FromWorker::Unavailable { message: "no module".into() }));
        let err = FromWorker::from_json(r#"{"kind":"shout"}"#).unwrap_err();
        assert!(err.starts_with("not a message from the worker"), "{err}");
    }
}
