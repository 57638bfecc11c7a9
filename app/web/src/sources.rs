//! The story's sources as the page shows them: each [`SourceId`] (the model's list, with the
//! steps that cite it) worded from the locale files (`app/locales/{en,zh}/src.json`).

pub use within500_model::sources::{step_sources, SourceId};

use crate::i18n::{td_string, Locale};

/// A source's citation line in the page's language.
pub fn citation(l: Locale, id: SourceId) -> &'static str {
    match id {
        SourceId::Thepaper2019 => td_string!(l, src.thepaper_2019),
        SourceId::ScmpAbacus2019 => td_string!(l, src.scmp_abacus_2019),
        SourceId::Technode2019 => td_string!(l, src.technode_2019),
        SourceId::Cyd2013 => td_string!(l, src.cyd_2013),
        SourceId::Polakis2015 => td_string!(l, src.polakis_2015),
        SourceId::Li2014 => td_string!(l, src.li_2014),
        SourceId::Wcmc2022 => td_string!(l, src.wcmc_2022),
        SourceId::Dhondt2024 => td_string!(l, src.dhondt_2024),
        SourceId::Ohrh2019 => td_string!(l, src.ohrh_2019),
        SourceId::PathcheckGps => td_string!(l, src.pathcheck_gps),
        SourceId::H3 => td_string!(l, src.h3),
        SourceId::Narayanan2011 => td_string!(l, src.narayanan_2011),
        SourceId::Gruteser2003 => td_string!(l, src.gruteser_2003),
        SourceId::Andres2013 => td_string!(l, src.andres_2013),
        SourceId::LocationGuard => td_string!(l, src.location_guard),
        SourceId::DinurNissim2003 => td_string!(l, src.dinur_nissim_2003),
        SourceId::Chatzikokolakis2014 => td_string!(l, src.chatzikokolakis_2014),
        SourceId::Mironov2012 => td_string!(l, src.mironov_2012),
        SourceId::DesfontainesDp => td_string!(l, src.desfontaines_dp),
        SourceId::Bi2017 => td_string!(l, src.bi_2017),
        SourceId::Reuters2016 => td_string!(l, src.reuters_2016),
        SourceId::Abc2019 => td_string!(l, src.abc_2019),
        SourceId::Verge2017 => td_string!(l, src.verge_2017),
        SourceId::UsGuidance2020 => td_string!(l, src.us_guidance_2020),
    }
}
