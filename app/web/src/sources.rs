//! The sources behind the story mode's facts, one short reference line each, and which of them
//! each story step cites.
//!
//! Every fact a story step states comes from the project's sources file, `docs/SOURCES.md` (or the
//! background articles it points to); this table is what the app shows under "Sources" next to a
//! step. The citation lines themselves are in the locale files (`locales/{en,zh}/src.json`), so a
//! Chinese page cites in Chinese. A URL is given only where it is known for certain from those
//! references; otherwise it is `None`, never a guess. Entries marked "background reading" are
//! commentaries, cited as such.

use crate::i18n::{td_string, Locale};

/// One source: a stable id, its citation line in a language, and a URL when one is known for certain.
#[derive(Debug, Clone, Copy)]
pub struct Source {
    /// A short, stable identifier used by [`step_sources`], e.g. `"polakis_2015"`.
    pub id: &'static str,
    /// A short reference line (authors or outlet, title or subject, venue and date), from the
    /// locale files.
    pub citation: fn(Locale) -> &'static str,
    /// The address of the source, only when it is known for certain; `None` otherwise.
    pub url: Option<&'static str>,
}

/// Every source cited by the story steps.
pub const SOURCES: &[Source] = &[
    Source {
        id: "thepaper_2019",
        citation: |l| td_string!(l, src.thepaper_2019),
        url: Some("https://www.thepaper.cn/newsDetail_forward_2854219"),
    },
    Source { id: "scmp_abacus_2019", citation: |l| td_string!(l, src.scmp_abacus_2019), url: None },
    Source { id: "technode_2019", citation: |l| td_string!(l, src.technode_2019), url: None },
    Source { id: "cyd_2013", citation: |l| td_string!(l, src.cyd_2013), url: None },
    Source { id: "polakis_2015", citation: |l| td_string!(l, src.polakis_2015), url: None },
    Source { id: "li_2014", citation: |l| td_string!(l, src.li_2014), url: None },
    Source {
        id: "wcmc_2022",
        citation: |l| td_string!(l, src.wcmc_2022),
        url: Some("https://www.hindawi.com/journals/wcmc/2022/4147498/"),
    },
    Source { id: "dhondt_2024", citation: |l| td_string!(l, src.dhondt_2024), url: None },
    Source {
        id: "ohrh_2019",
        citation: |l| td_string!(l, src.ohrh_2019),
        url: Some("https://ohrh.law.ox.ac.uk/the-human-rights-implications-of-chinas-social-credit-system"),
    },
    Source { id: "pathcheck_gps", citation: |l| td_string!(l, src.pathcheck_gps), url: None },
    Source { id: "h3", citation: |l| td_string!(l, src.h3), url: None },
    Source { id: "narayanan_2011", citation: |l| td_string!(l, src.narayanan_2011), url: None },
    Source { id: "gruteser_2003", citation: |l| td_string!(l, src.gruteser_2003), url: None },
    Source { id: "andres_2013", citation: |l| td_string!(l, src.andres_2013), url: None },
    Source { id: "location_guard", citation: |l| td_string!(l, src.location_guard), url: None },
    Source { id: "dinur_nissim_2003", citation: |l| td_string!(l, src.dinur_nissim_2003), url: None },
    Source { id: "chatzikokolakis_2014", citation: |l| td_string!(l, src.chatzikokolakis_2014), url: None },
    Source { id: "mironov_2012", citation: |l| td_string!(l, src.mironov_2012), url: None },
    Source { id: "desfontaines_dp", citation: |l| td_string!(l, src.desfontaines_dp), url: None },
    Source { id: "bi_2017", citation: |l| td_string!(l, src.bi_2017), url: None },
    Source { id: "reuters_2016", citation: |l| td_string!(l, src.reuters_2016), url: None },
    Source { id: "abc_2019", citation: |l| td_string!(l, src.abc_2019), url: None },
    Source { id: "verge_2017", citation: |l| td_string!(l, src.verge_2017), url: None },
    Source { id: "us_guidance_2020", citation: |l| td_string!(l, src.us_guidance_2020), url: None },
];

/// The ids of the sources cited in story step `step` (1 to 10); an empty slice for any other step.
#[must_use]
pub fn step_sources(step: u8) -> &'static [&'static str] {
    match step {
        1 => &["thepaper_2019", "scmp_abacus_2019"],
        2 => &["thepaper_2019", "scmp_abacus_2019", "technode_2019"],
        3 => &["thepaper_2019", "cyd_2013"],
        4 => &["polakis_2015", "li_2014", "wcmc_2022", "dhondt_2024"],
        5 => &["technode_2019", "ohrh_2019"],
        6 => &["h3", "pathcheck_gps", "narayanan_2011"],
        7 => &["gruteser_2003"],
        8 => &["dinur_nissim_2003", "mironov_2012"],
        9 => &["desfontaines_dp", "andres_2013", "location_guard", "chatzikokolakis_2014"],
        10 => &["cyd_2013", "bi_2017", "reuters_2016", "abc_2019", "verge_2017", "ohrh_2019", "us_guidance_2020"],
        _ => &[],
    }
}

/// The source with this id, if there is one.
#[must_use]
pub fn source(id: &str) -> Option<&'static Source> {
    SOURCES.iter().find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_cites_at_least_one_source_and_every_id_resolves() {
        for step in 1..=10u8 {
            let ids = step_sources(step);
            assert!(!ids.is_empty(), "step {step} cites no source");
            for id in ids {
                assert!(source(id).is_some(), "step {step} cites unknown source {id}");
            }
        }
    }

    #[test]
    fn steps_outside_the_story_cite_nothing() {
        assert!(step_sources(0).is_empty());
        assert!(step_sources(11).is_empty());
        assert!(step_sources(u8::MAX).is_empty());
    }

    #[test]
    fn ids_are_unique_and_every_source_is_cited() {
        for (i, a) in SOURCES.iter().enumerate() {
            assert!(SOURCES[i + 1..].iter().all(|b| b.id != a.id), "duplicate source id {}", a.id);
            assert!((1..=10u8).any(|step| step_sources(step).contains(&a.id)), "source {} is cited by no step", a.id);
        }
    }

    #[test]
    fn citations_are_short_lines_and_urls_are_https() {
        for s in SOURCES {
            for l in [Locale::en, Locale::zh] {
                let line = (s.citation)(l);
                assert!(!line.trim().is_empty() && !line.contains('\n'), "bad citation for {} in {l:?}", s.id);
            }
            assert_ne!((s.citation)(Locale::en), (s.citation)(Locale::zh), "{} is cited in one language only", s.id);
            if let Some(url) = s.url {
                assert!(url.starts_with("https://") && !url.contains(' '), "bad url for {}", s.id);
            }
        }
    }

    #[test]
    fn unknown_ids_resolve_to_nothing() {
        assert!(source("").is_none());
        assert!(source("no_such_source").is_none());
        assert_eq!(source("polakis_2015").map(|s| s.id), Some("polakis_2015"));
    }
}
