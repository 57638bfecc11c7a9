//! Large numeric tables serialised as one run of little-endian bytes (`#[serde(with = "le")]`)
//! rather than number by number: postcard then writes them with one copy and reads them back
//! straight from the input, which matters for a city of 11 000 000 people sent from its worker
//! (about 80 MB of homes and workplaces), and the bytes are the same on every platform.

use serde::de::{Error, Visitor};
use serde::{Deserializer, Serializer};

/// A number with a fixed little-endian width.
pub(super) trait Fixed: Copy + Sized {
    /// Its width in bytes.
    const WIDTH: usize;
    /// Appends it to `out`.
    fn put(self, out: &mut Vec<u8>);
    /// Reads it from exactly [`Fixed::WIDTH`] bytes.
    fn get(bytes: &[u8]) -> Self;
}

macro_rules! fixed {
    ($($t:ty),*) => {$(
        impl Fixed for $t {
            const WIDTH: usize = std::mem::size_of::<$t>();
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(bytes: &[u8]) -> Self {
                let mut b = [0u8; std::mem::size_of::<$t>()];
                b.copy_from_slice(bytes);
                <$t>::from_le_bytes(b)
            }
        }
    )*};
}
fixed!(f64, u64, u16);

/// Writes the table as one run of bytes.
#[allow(clippy::ptr_arg)] // serde's `with` passes the field as it is declared
pub(super) fn serialize<T: Fixed, S: Serializer>(table: &Vec<T>, serializer: S) -> Result<S::Ok, S::Error> {
    let mut out = Vec::with_capacity(table.len() * T::WIDTH);
    for &v in table {
        v.put(&mut out);
    }
    serializer.serialize_bytes(&out)
}

/// Reads a table written by [`serialize`].
pub(super) fn deserialize<'de, T: Fixed, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
    struct Table<T>(std::marker::PhantomData<T>);
    impl<T: Fixed> Visitor<'_> for Table<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "a table of {}-byte numbers", T::WIDTH)
        }
        fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<T>, E> {
            if !bytes.len().is_multiple_of(T::WIDTH) {
                return Err(E::custom(format!("a table of {}-byte numbers {} bytes long", T::WIDTH, bytes.len())));
            }
            Ok(bytes.chunks_exact(T::WIDTH).map(T::get).collect())
        }
    }
    deserializer.deserialize_bytes(Table(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Tables {
        #[serde(with = "super")]
        a: Vec<f64>,
        #[serde(with = "super")]
        b: Vec<u16>,
        c: u8,
    }

    #[test]
    fn tables_come_back_as_they_went() {
        let t = Tables { a: vec![1.5, -0.0, f64::MAX, 38.042_1], b: vec![0, 7, u16::MAX], c: 9 };
        let bytes = postcard::to_allocvec(&t).unwrap();
        assert_eq!(bytes.len(), 1 + 32 + 1 + 6 + 1, "a length and the raw numbers");
        assert_eq!(postcard::from_bytes::<Tables>(&bytes).unwrap(), t);
        let mut short = bytes.clone();
        short[0] = 31; // a length that is not a whole number of f64s
        assert!(postcard::from_bytes::<Tables>(&short).is_err());
    }
}
