//! A city's generation as the page runs it: one at a time, in a worker or on the page, with
//! progress and cancel. Whatever arrives from a generation that is no longer the current one (a
//! worker's late message after a cancel or a newer request) is ignored; cancelling goes back to
//! the last city shown, or says that the generation was cancelled when there is none to go back to.

use within500_engine::{City, CityConfig};

/// One generation, as handed to the worker and checked when its messages come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(u64);

/// What the page does with a finished generation.
#[derive(Debug)]
pub enum Finished {
    /// Show this city.
    Ready(Box<City>),
    /// Say that it could not be generated.
    Failed(String),
    /// Nothing: the generation had been cancelled or replaced.
    Stale,
}

/// What the page does when the person cancels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cancelled {
    /// Go back to this city (the last one shown, other than the one asked for).
    GoBack(CityConfig),
    /// Say that the generation was cancelled (no other city to go back to).
    ShowCancelled,
    /// Nothing was running (the city may have arrived between the click and now).
    Nothing,
}

/// The page's generations: which one is current, whether it runs, and the last city shown.
#[derive(Debug, Default)]
pub struct Generation {
    serial: u64,
    running: bool,
    last: Option<CityConfig>,
}

impl Generation {
    /// Starts generating `config`: any earlier generation becomes stale.
    ///
    /// # Errors
    /// The configuration's own message when it is out of range; nothing starts then.
    pub fn start(&mut self, config: CityConfig) -> Result<Ticket, String> {
        self.serial += 1;
        self.running = false;
        config.validate().map_err(|e| e.to_string())?;
        self.running = true;
        Ok(Ticket(self.serial))
    }

    /// Whether `ticket` is the generation that runs now.
    #[must_use]
    pub fn is_current(&self, ticket: Ticket) -> bool {
        self.running && ticket.0 == self.serial
    }

    /// Whether `ticket` is the latest generation started, running or not (its worker may be let
    /// go once it has answered).
    #[must_use]
    pub fn is_latest(&self, ticket: Ticket) -> bool {
        ticket.0 == self.serial
    }

    /// Whether a generation runs.
    #[must_use]
    pub fn running(&self) -> bool {
        self.running
    }

    /// The progress to show for a report from `ticket` (`None`: ignore it).
    #[must_use]
    pub fn progress(&self, ticket: Ticket, share: f64) -> Option<f64> {
        self.is_current(ticket).then_some(share.clamp(0.0, 1.0))
    }

    /// A generation's result arrives.
    pub fn finish(&mut self, ticket: Ticket, result: Result<City, String>) -> Finished {
        if !self.is_current(ticket) {
            return Finished::Stale;
        }
        self.running = false;
        match result {
            Ok(city) => {
                self.last = Some(city.config());
                Finished::Ready(Box::new(city))
            }
            Err(e) => Finished::Failed(e),
        }
    }

    /// The person cancels while `asked` is being generated.
    pub fn cancel(&mut self, asked: CityConfig) -> Cancelled {
        if !self.running {
            return Cancelled::Nothing;
        }
        self.serial += 1;
        self.running = false;
        match self.last {
            Some(previous) if previous != asked => Cancelled::GoBack(previous),
            _ => Cancelled::ShowCancelled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(people: u32) -> CityConfig {
        CityConfig { seed: 5, people, listed_rate: 0.01 }
    }

    fn city(people: u32) -> City {
        City::generate(config(people)).unwrap()
    }

    #[test]
    fn a_result_is_shown_once_and_becomes_the_city_to_go_back_to() {
        let mut g = Generation::default();
        let t = g.start(config(2_000)).unwrap();
        assert_eq!(g.progress(t, 0.5), Some(0.5));
        assert!(matches!(g.finish(t, Ok(city(2_000))), Finished::Ready(c) if c.config() == config(2_000)));
        assert!(!g.running() && g.is_latest(t));
        // A second message from the same worker changes nothing.
        assert!(matches!(g.finish(t, Ok(city(2_000))), Finished::Stale));
        let t2 = g.start(config(3_000)).unwrap();
        assert_eq!(g.cancel(config(3_000)), Cancelled::GoBack(config(2_000)));
        assert!(!g.is_current(t2) && !g.is_latest(t));
    }

    #[test]
    fn after_a_cancel_or_a_newer_request_the_old_generation_is_ignored() {
        let mut g = Generation::default();
        let first = g.start(config(2_000)).unwrap();
        assert_eq!(g.cancel(config(2_000)), Cancelled::ShowCancelled, "no city to go back to yet");
        assert_eq!(g.progress(first, 0.9), None);
        assert!(matches!(g.finish(first, Ok(city(2_000))), Finished::Stale));
        let a = g.start(config(2_000)).unwrap();
        let b = g.start(config(3_000)).unwrap();
        assert!(matches!(g.finish(a, Ok(city(2_000))), Finished::Stale));
        assert!(matches!(g.finish(b, Err("no".into())), Finished::Failed(m) if m == "no"));
        assert_eq!(g.cancel(config(3_000)), Cancelled::Nothing, "nothing runs after a failure");
    }

    #[test]
    fn cancelling_the_city_already_shown_does_not_go_back_to_it() {
        let mut g = Generation::default();
        let t = g.start(config(2_000)).unwrap();
        let _ = g.finish(t, Ok(city(2_000)));
        // The same settings again (a reload of the same link), then cancel.
        let _ = g.start(config(2_000)).unwrap();
        assert_eq!(g.cancel(config(2_000)), Cancelled::ShowCancelled);
    }

    #[test]
    fn settings_out_of_range_start_nothing_and_make_the_last_stale() {
        let mut g = Generation::default();
        let t = g.start(config(2_000)).unwrap();
        let err = g.start(config(10)).unwrap_err();
        assert!(err.contains("1000"), "{err}");
        assert!(!g.running());
        assert!(matches!(g.finish(t, Ok(city(2_000))), Finished::Stale));
    }
}
