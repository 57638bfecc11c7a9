//! The sources behind the story mode's facts, and which of them each story step cites.
//!
//! Every fact a story step states comes from the project's sources file, `docs/SOURCES.md` (or the
//! background articles it points to). The citation lines are in the locale files
//! (`app/locales/{en,zh}/src.json`, one key per source), so a Chinese page cites in Chinese; the
//! page words each [`SourceId`] in one exhaustive `match`. A URL is given only where it is known for
//! certain from those references; otherwise it is `None`, never a guess.

use within500_engine::StoryStep;

/// A source the story cites, with its id (its key in the locale files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::VariantArray, strum::IntoStaticStr)]
pub enum SourceId {
    /// `thepaper_2019`.
    #[strum(serialize = "thepaper_2019")]
    Thepaper2019,
    /// `scmp_abacus_2019`.
    #[strum(serialize = "scmp_abacus_2019")]
    ScmpAbacus2019,
    /// `technode_2019`.
    #[strum(serialize = "technode_2019")]
    Technode2019,
    /// `cyd_2013`.
    #[strum(serialize = "cyd_2013")]
    Cyd2013,
    /// `polakis_2015`.
    #[strum(serialize = "polakis_2015")]
    Polakis2015,
    /// `li_2014`.
    #[strum(serialize = "li_2014")]
    Li2014,
    /// `wcmc_2022`.
    #[strum(serialize = "wcmc_2022")]
    Wcmc2022,
    /// `dhondt_2024`.
    #[strum(serialize = "dhondt_2024")]
    Dhondt2024,
    /// `ohrh_2019`.
    #[strum(serialize = "ohrh_2019")]
    Ohrh2019,
    /// `pathcheck_gps`.
    #[strum(serialize = "pathcheck_gps")]
    PathcheckGps,
    /// `h3`.
    #[strum(serialize = "h3")]
    H3,
    /// `narayanan_2011`.
    #[strum(serialize = "narayanan_2011")]
    Narayanan2011,
    /// `gruteser_2003`.
    #[strum(serialize = "gruteser_2003")]
    Gruteser2003,
    /// `andres_2013`.
    #[strum(serialize = "andres_2013")]
    Andres2013,
    /// `location_guard`.
    #[strum(serialize = "location_guard")]
    LocationGuard,
    /// `dinur_nissim_2003`.
    #[strum(serialize = "dinur_nissim_2003")]
    DinurNissim2003,
    /// `chatzikokolakis_2014`.
    #[strum(serialize = "chatzikokolakis_2014")]
    Chatzikokolakis2014,
    /// `mironov_2012`.
    #[strum(serialize = "mironov_2012")]
    Mironov2012,
    /// `desfontaines_dp`.
    #[strum(serialize = "desfontaines_dp")]
    DesfontainesDp,
    /// `bi_2017`.
    #[strum(serialize = "bi_2017")]
    Bi2017,
    /// `reuters_2016`.
    #[strum(serialize = "reuters_2016")]
    Reuters2016,
    /// `abc_2019`.
    #[strum(serialize = "abc_2019")]
    Abc2019,
    /// `verge_2017`.
    #[strum(serialize = "verge_2017")]
    Verge2017,
    /// `us_guidance_2020`.
    #[strum(serialize = "us_guidance_2020")]
    UsGuidance2020,
}

impl SourceId {
    /// Every source.
    pub const ALL: &'static [Self] = <Self as strum::VariantArray>::VARIANTS;

    /// Its stable id (`data-source` in the page, the key in `src.json`).
    #[must_use]
    pub fn id(self) -> &'static str {
        self.into()
    }

    /// The address of the source, only when it is known for certain.
    #[must_use]
    pub fn url(self) -> Option<&'static str> {
        match self {
            Self::Thepaper2019 => Some("https://www.thepaper.cn/newsDetail_forward_2854219"),
            Self::Wcmc2022 => Some("https://www.hindawi.com/journals/wcmc/2022/4147498/"),
            Self::Ohrh2019 => Some("https://ohrh.law.ox.ac.uk/the-human-rights-implications-of-chinas-social-credit-system"),
            _ => None,
        }
    }
}

/// The sources cited in story step `step`.
#[must_use]
pub fn step_sources(step: StoryStep) -> &'static [SourceId] {
    use SourceId as S;
    match step.get() {
        1 => &[S::Thepaper2019, S::ScmpAbacus2019],
        2 => &[S::Thepaper2019, S::ScmpAbacus2019, S::Technode2019],
        3 => &[S::Thepaper2019, S::Cyd2013],
        4 => &[S::Polakis2015, S::Li2014, S::Wcmc2022, S::Dhondt2024],
        5 => &[S::Technode2019, S::Ohrh2019],
        6 => &[S::H3, S::PathcheckGps, S::Narayanan2011],
        7 => &[S::Gruteser2003],
        8 => &[S::DinurNissim2003, S::Mironov2012],
        9 => &[S::DesfontainesDp, S::Andres2013, S::LocationGuard, S::Chatzikokolakis2014],
        _ => &[S::Cyd2013, S::Bi2017, S::Reuters2016, S::Abc2019, S::Verge2017, S::Ohrh2019, S::UsGuidance2020],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_cites_a_source_and_every_source_is_cited() {
        for step in StoryStep::all() {
            assert!(!step_sources(step).is_empty(), "step {step} cites no source");
        }
        for s in SourceId::ALL {
            assert!(StoryStep::all().any(|step| step_sources(step).contains(s)), "{s:?} is cited by no step");
        }
    }

    #[test]
    fn every_source_has_a_one_line_citation_in_both_languages_and_urls_are_https() {
        for (lang, text) in [("en", include_str!("../../locales/en/src.json")), ("zh", include_str!("../../locales/zh/src.json"))] {
            let lines: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).unwrap();
            assert_eq!(lines.len(), SourceId::ALL.len(), "{lang}: one line per source, no other");
            for s in SourceId::ALL {
                let line = lines.get(s.id()).and_then(|v| v.as_str()).unwrap_or_default();
                assert!(!line.trim().is_empty() && !line.contains('\n'), "{lang} has no one-line citation for {}", s.id());
            }
        }
        for s in SourceId::ALL {
            if let Some(url) = s.url() {
                assert!(url.starts_with("https://") && !url.contains(' '), "bad url for {}", s.id());
            }
        }
    }
}
