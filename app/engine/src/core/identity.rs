//! Synthetic names and 18-character ID numbers that can never belong to a real person.
//!
//! A resident identity card number in mainland China has 18 characters: a 6-digit region code,
//! the birth date as `YYYYMMDD`, a 3-digit sequence number (odd for men, even for women) and an
//! ISO 7064 MOD 11-2 check character (`0`-`9` or `X`). The first two digits of the region code
//! name a province under GB/T 2260; none begins with `0` (provinces run 11-65, Taiwan 71, Hong
//! Kong 81, Macao 82, and permanent-residence cards for foreigners begin with 9).
//!
//! **Every synthetic ID number begins with `00`**, so none can be a real person's number, while the
//! rest of the format, including the check character, is kept so that the demonstration of what a
//! leaked number reveals (birth date, sex) stays honest.

use serde::{Deserialize, Serialize};

/// The prefix of every synthetic region code. No real region code starts with `0`.
pub const SYNTHETIC_REGION_PREFIX: &str = "00";

/// Common surnames with their pinyin. Surnames are shared by millions; no real person is named.
const SURNAMES: &[(&str, &str)] = &[
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("赵", "Zhao"),
    ("黄", "Huang"),
    ("周", "Zhou"),
    ("吴", "Wu"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("胡", "Hu"),
    ("朱", "Zhu"),
    ("高", "Gao"),
    ("林", "Lin"),
    ("何", "He"),
    ("郭", "Guo"),
    ("马", "Ma"),
    ("罗", "Luo"),
    ("梁", "Liang"),
    ("宋", "Song"),
    ("郑", "Zheng"),
    ("谢", "Xie"),
    ("韩", "Han"),
    ("唐", "Tang"),
    ("冯", "Feng"),
    ("于", "Yu"),
    ("董", "Dong"),
    ("萧", "Xiao"),
    ("程", "Cheng"),
    ("曹", "Cao"),
    ("袁", "Yuan"),
    ("邓", "Deng"),
    ("许", "Xu"),
    ("傅", "Fu"),
    ("沈", "Shen"),
    ("曾", "Zeng"),
    ("彭", "Peng"),
    ("吕", "Lü"),
    ("苏", "Su"),
    ("卢", "Lu"),
    ("蒋", "Jiang"),
    ("蔡", "Cai"),
    ("贾", "Jia"),
    ("丁", "Ding"),
    ("魏", "Wei"),
    ("薛", "Xue"),
];

/// Syllables for given names, with pinyin.
const GIVEN: &[(&str, &str)] = &[
    ("建", "jian"),
    ("明", "ming"),
    ("秀", "xiu"),
    ("华", "hua"),
    ("国", "guo"),
    ("英", "ying"),
    ("志", "zhi"),
    ("强", "qiang"),
    ("丽", "li"),
    ("军", "jun"),
    ("平", "ping"),
    ("敏", "min"),
    ("静", "jing"),
    ("伟", "wei"),
    ("芳", "fang"),
    ("海", "hai"),
    ("燕", "yan"),
    ("玉", "yu"),
    ("文", "wen"),
    ("东", "dong"),
    ("红", "hong"),
    ("林", "lin"),
    ("云", "yun"),
    ("春", "chun"),
    ("兰", "lan"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("磊", "lei"),
    ("霞", "xia"),
    ("宁", "ning"),
    ("辉", "hui"),
    ("鹏", "peng"),
    ("洁", "jie"),
    ("晨", "chen"),
    ("宇", "yu"),
    ("欣", "xin"),
];

/// A synthetic person's name in Chinese characters and in pinyin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Name {
    /// The name in Chinese characters, surname first.
    pub zh: String,
    /// The name in pinyin, surname first, e.g. `Wang Jianming`.
    pub pinyin: String,
    /// The surname alone in pinyin, used by the linkage attacker.
    pub surname_pinyin: &'static str,
}

impl Name {
    /// A name from a surname index and up to two given-name syllable indices (taken modulo the
    /// table sizes).
    #[must_use]
    pub fn from_parts(surname: usize, given: &[usize]) -> Self {
        let (s_zh, s_py) = SURNAMES[surname % SURNAMES.len()];
        let mut zh = String::from(s_zh);
        let mut given_py = String::new();
        for &g in given {
            let (g_zh, g_py) = GIVEN[g % GIVEN.len()];
            zh.push_str(g_zh);
            given_py.push_str(g_py);
        }
        let mut chars = given_py.chars();
        let capitalised: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
        Self { zh, pinyin: format!("{s_py} {capitalised}"), surname_pinyin: s_py }
    }

    /// How many surnames the generator draws from.
    #[must_use]
    pub fn surname_count() -> usize {
        SURNAMES.len()
    }
}

/// A synthetic 18-character ID number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdNumber(String);

/// Why a string is not a well-formed synthetic ID number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    /// Not 18 characters long.
    #[error("an ID number has 18 characters, this one has {0}")]
    Length(usize),
    /// A character other than a digit (or a final `X`).
    #[error("an ID number has digits only, with an optional final X")]
    Characters,
    /// The region code does not start with the synthetic prefix.
    #[error("region code {0} is not synthetic: synthetic ID numbers begin with 00")]
    NotSynthetic(String),
    /// The check character does not match.
    #[error("check character {found} should be {expected}")]
    Check {
        /// The check character in the string.
        found: char,
        /// The check character computed from the first 17 digits.
        expected: char,
    },
}

impl IdNumber {
    /// Builds an ID number from a 4-digit synthetic region suffix, a birth date and a sequence.
    ///
    /// `region` is taken modulo 10 000 and prefixed with `00`; `sequence` modulo 1 000.
    #[must_use]
    pub fn new(region: u32, birth: CalendarDate, sequence: u32) -> Self {
        let body = format!(
            "{SYNTHETIC_REGION_PREFIX}{:04}{:04}{:02}{:02}{:03}",
            region % 10_000,
            birth.year,
            birth.month,
            birth.day,
            sequence % 1_000
        );
        let check = check_character(&body);
        Self(format!("{body}{check}"))
    }

    /// Parses and validates a synthetic ID number.
    ///
    /// # Errors
    /// Any [`IdNumberError`]: wrong length, characters, a non-synthetic region or a bad check.
    pub fn parse(s: &str) -> Result<Self, IdNumberError> {
        let n = s.chars().count();
        if n != 18 {
            return Err(IdNumberError::Length(n));
        }
        let bytes = s.as_bytes();
        if !bytes[..17].iter().all(u8::is_ascii_digit) || !(bytes[17].is_ascii_digit() || bytes[17] == b'X') {
            return Err(IdNumberError::Characters);
        }
        if !s.starts_with(SYNTHETIC_REGION_PREFIX) {
            return Err(IdNumberError::NotSynthetic(s[..6].to_owned()));
        }
        let expected = check_character(&s[..17]);
        let found = char::from(bytes[17]);
        if found != expected {
            return Err(IdNumberError::Check { found, expected });
        }
        Ok(Self(s.to_owned()))
    }

    /// The full 18 characters.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The masked form shown in lists: region code and last four characters kept, the birth date
    /// and most of the sequence hidden, e.g. `000103********123X`.
    #[must_use]
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }
}

/// The ISO 7064 MOD 11-2 check character of a 17-digit body.
fn check_character(body: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    b"10X98765432"[(sum % 11) as usize].into()
}

/// A calendar date of birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDate {
    /// Year, e.g. 1975.
    pub year: u16,
    /// Month, 1-12.
    pub month: u8,
    /// Day of month, 1-28 (the generator avoids month ends).
    pub day: u8,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_character_matches_published_example() {
        // The worked example of GB 11643-1999, with its real region code 110105.
        assert_eq!(check_character("11010519491231002"), 'X');
    }

    #[test]
    fn synthetic_numbers_validate_and_mask() {
        let id = IdNumber::new(103, CalendarDate { year: 1975, month: 3, day: 9 }, 41);
        assert_eq!(id.as_str().len(), 18);
        assert!(id.as_str().starts_with("000103197503090"));
        assert_eq!(IdNumber::parse(id.as_str()), Ok(id.clone()));
        assert_eq!(id.masked().len(), 18);
        assert!(!id.masked().contains("19750309"));
    }

    #[test]
    fn parse_rejects_real_region_codes() {
        assert!(matches!(IdNumber::parse("11010519491231002X"), Err(IdNumberError::NotSynthetic(_))));
        assert_eq!(IdNumber::parse("123"), Err(IdNumberError::Length(3)));
    }

    #[test]
    fn names_have_both_scripts() {
        let n = Name::from_parts(0, &[0, 1]);
        assert_eq!(n.zh, "王建明");
        assert_eq!(n.pinyin, "Wang Jianming");
    }
}
