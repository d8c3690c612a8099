//! The context object as expressions see it: a value, or one built the first time an
//! expression reads it (most states never do, and building it clones the execution's input).

use std::cell::OnceCell;
use std::fmt;

use serde_json::Value;

/// A value built by `make` on first use, then kept.
pub struct Lazy<F> {
    cell: OnceCell<Value>,
    make: F,
}

impl<F: Fn() -> Value> Lazy<F> {
    /// A value `make` builds when first read.
    pub fn new(make: F) -> Self {
        Lazy {
            cell: OnceCell::new(),
            make,
        }
    }

    /// The value, built now if it was not yet.
    pub fn get(&self) -> &Value {
        self.cell.get_or_init(&self.make)
    }
}

trait Get {
    fn value(&self) -> &Value;
}

impl<F: Fn() -> Value> Get for Lazy<F> {
    fn value(&self) -> &Value {
        self.get()
    }
}

/// The context object (`$$`, `$states.context`): a value at hand or a [`Lazy`] one.
#[derive(Clone, Copy)]
pub struct ContextObject<'a>(Inner<'a>);

#[derive(Clone, Copy)]
enum Inner<'a> {
    Ready(&'a Value),
    Lazy(&'a dyn Get),
}

impl<'a> ContextObject<'a> {
    /// The context object's value (built now if it is lazy and was not read yet).
    pub fn get(self) -> &'a Value {
        match self.0 {
            Inner::Ready(v) => v,
            Inner::Lazy(l) => l.value(),
        }
    }
}

impl<'a> From<&'a Value> for ContextObject<'a> {
    fn from(v: &'a Value) -> Self {
        ContextObject(Inner::Ready(v))
    }
}

impl<'a, F: Fn() -> Value> From<&'a Lazy<F>> for ContextObject<'a> {
    fn from(l: &'a Lazy<F>) -> Self {
        ContextObject(Inner::Lazy(l))
    }
}

impl fmt::Debug for ContextObject<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Inner::Ready(v) => v.fmt(f),
            Inner::Lazy(_) => f.write_str("<context object, built when read>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::cell::Cell;

    #[test]
    fn built_once_on_first_read() {
        let built = Cell::new(0);
        let lazy = Lazy::new(|| {
            built.set(built.get() + 1);
            json!({"State": {"Name": "A"}})
        });
        let ctx = ContextObject::from(&lazy);
        assert_eq!(built.get(), 0);
        assert_eq!(ctx.get()["State"]["Name"], "A");
        assert_eq!(ctx.get()["State"]["Name"], "A");
        assert_eq!(built.get(), 1);
        let v = json!(1);
        assert_eq!(ContextObject::from(&v).get(), &json!(1));
    }
}
