//! The sources behind the story mode's facts, one short reference line each, and which of them
//! each story step cites.
//!
//! Every fact a story step states comes from `REFERENCES.md` (or the background articles it
//! points to); this table is what the app shows under "Sources" next to a step. A URL is given
//! only where it is known for certain from those references; otherwise it is `None`, never a
//! guess. Entries marked "background reading" are commentaries, cited as such.

/// One source: a stable id, a short citation line, and a URL when one is known for certain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// A short, stable identifier used by [`step_sources`], e.g. `"polakis_2015"`.
    pub id: &'static str,
    /// A short reference line: authors or outlet, title or subject, venue and date.
    pub citation: &'static str,
    /// The address of the source, only when it is known for certain; `None` otherwise.
    pub url: Option<&'static str>,
}

/// Every source cited by the story steps.
pub const SOURCES: &[Source] = &[
    Source {
        id: "thepaper_2019",
        citation: "The Paper (澎湃新闻), on the Hebei High People’s Court’s WeChat mini-program, 14 January 2019",
        url: Some("https://www.thepaper.cn/newsDetail_forward_2854219"),
    },
    Source {
        id: "scmp_abacus_2019",
        citation: "South China Morning Post, Abacus, article 3029105, on the “Deadbeat Map” launch in Shijiazhuang",
        url: None,
    },
    Source {
        id: "technode_2019",
        citation: "TechNode, on what the Hebei “Deadbeat Map” showed, 23 January 2019",
        url: None,
    },
    Source {
        id: "cyd_2013",
        citation: "China Youth Daily (中国青年报), on the Supreme People’s Court rules for publishing the list of defaulting debtors, 20 July 2013",
        url: None,
    },
    Source {
        id: "polakis_2015",
        citation: "Polakis et al., “Where’s Wally? Precise User Discovery Attacks in Location Proximity Services”, ACM CCS 2015",
        url: None,
    },
    Source {
        id: "li_2014",
        citation: "Li et al., “All Your Location are Belong to Us: Breaking Mobile Social Networks for Automated User Location Tracking”, ACM MobiHoc 2014",
        url: None,
    },
    Source {
        id: "wcmc_2022",
        citation: "Long-distance geolocation of Momo users by dynamically adjusted probes (DAPL), Wireless Communications and Mobile Computing (Hindawi), 2022, article 4147498",
        url: Some("https://www.hindawi.com/journals/wcmc/2022/4147498/"),
    },
    Source {
        id: "dhondt_2024",
        citation: "Dhondt et al., “Swipe Left for Identity Theft: An Analysis of User Data Privacy Risks on Location-based Dating Apps”, USENIX Security 2024",
        url: None,
    },
    Source {
        id: "ohrh_2019",
        citation: "Vinayak, “The Human Rights Implications of China’s Social Credit System”, OxHRH Blog, September 2019 (background reading, commentary)",
        url: Some("https://ohrh.law.ox.ac.uk/the-human-rights-implications-of-chinas-social-credit-system"),
    },
    Source {
        id: "pathcheck_gps",
        citation: "Path Check (MIT Safe Paths), privacy and security analysis of hashed GPS location cells (privacy-security-GPS)",
        url: None,
    },
    Source {
        id: "h3",
        citation: "H3 hierarchical hexagonal grid, cell counts and sizes by resolution",
        url: None,
    },
    Source {
        id: "narayanan_2011",
        citation: "Narayanan et al., “Location Privacy via Private Proximity Testing”, NDSS 2011",
        url: None,
    },
    Source {
        id: "gruteser_2003",
        citation: "Gruteser and Grunwald, “Anonymous Usage of Location-Based Services Through Spatial and Temporal Cloaking”, ACM MobiSys 2003",
        url: None,
    },
    Source {
        id: "andres_2013",
        citation: "Andrés et al., “Geo-Indistinguishability: Differential Privacy for Location-Based Systems”, ACM CCS 2013",
        url: None,
    },
    Source {
        id: "location_guard",
        citation: "Location Guard, browser extension applying geo-indistinguishability (ε = 2/r; caches the fake position)",
        url: None,
    },
    Source {
        id: "dinur_nissim_2003",
        citation: "Dinur and Nissim, “Revealing Information while Preserving Privacy”, ACM PODS 2003",
        url: None,
    },
    Source {
        id: "chatzikokolakis_2014",
        citation: "Chatzikokolakis et al., on repeated geo-indistinguishable reports and their quick loss of privacy, PETS 2014",
        url: None,
    },
    Source {
        id: "mironov_2012",
        citation: "Mironov, “On Significance of the Least Significant Bits for Differential Privacy”, ACM CCS 2012",
        url: None,
    },
    Source {
        id: "desfontaines_dp",
        citation: "desfontain.es, “real-world differential privacy”: deployments and their privacy budgets",
        url: None,
    },
    Source {
        id: "bi_2017",
        citation: "Business Insider, on China’s national blacklist of debtors and refused flight and rail tickets, 2017",
        url: None,
    },
    Source {
        id: "reuters_2016",
        citation: "Reuters, on debtors’ names, ID numbers and addresses shown on Shanghai railway-station screens, 2016",
        url: None,
    },
    Source {
        id: "abc_2019",
        citation: "ABC, on debtors’ faces shown before cinema films in Zhejiang, 2019",
        url: None,
    },
    Source {
        id: "verge_2017",
        citation: "The Verge, on a shaming message played to debtors’ callers in Guanyun, Jiangsu, 2017",
        url: None,
    },
    Source {
        id: "us_guidance_2020",
        citation: "“US Issues Human Rights Guidelines for Exporters of Surveillance Tech”, Flashpoints, on US State Department guidance of 30 September 2020 (background reading)",
        url: None,
    },
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
            assert!(!s.citation.trim().is_empty() && !s.citation.contains('\n'), "bad citation for {}", s.id);
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
