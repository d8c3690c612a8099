//! `#[value]` helpers through every stage: what they accept, what they refuse and where, and
//! what they expand to.

use crate::testing::helper;
use quote::quote;

#[test]
fn values_are_rewritten_as_in_a_flow() {
    let out = helper(
        quote!(key: Val, tries: Val),
        quote! {
            let again = (key == "1" || key == "2") && tries < 3;
            if again { format!("{}!", key) } else { "menu" }
        },
    )
    .unwrap();
    for op in [
        "ops :: and",
        "ops :: or",
        "ops :: eq",
        "ops :: lt",
        "ops :: cond",
    ] {
        assert!(out.contains(op), "{op}: {out}");
    }
    assert!(out.contains("__private :: format (&"), "{out}");
    // A `let` is a plain binding: no flow variable, no state.
    assert!(
        out.contains("let again = :: switchboard :: __private :: ops :: and"),
        "{out}"
    );
    assert!(!out.contains("bind (") && !out.contains("var ("), "{out}");
    // Inside the guard that reports a step run while the value is computed.
    assert!(
        out.contains("value_end (:: switchboard :: __private :: value_begin (\"f\""),
        "{out}"
    );
}

#[test]
fn every_call_is_probed_once_per_builder_chain() {
    let out = helper(quote!(d: Val), quote!(d.matches(pattern(1)).to_string())).unwrap();
    // The chain as a whole, and the call in its argument; not the chain's inner links.
    assert_eq!(out.matches("Probe (").count(), 2, "{out}");
    assert!(
        out.contains("Probe (d . matches (:: switchboard :: __private :: Probe (pattern (1)) . value ()) . to_string ()) . value ()"),
        "{out}"
    );
}

#[test]
fn statements_that_need_states_are_refused_with_the_way_out() {
    let cases = [
        (quote!(speak("Hello."); x), "runs for its effect"),
        (
            quote!(loop {} x),
            "loops, `break`, `continue` and `return` need a flow's states",
        ),
        (quote!(let mut y = x; y), "`let mut` makes a flow variable"),
        (quote!(x = 1; x), "assignment changes a flow variable"),
        (
            quote!(if x { speak("a"); } x),
            "`if` and `match` are values",
        ),
        (
            quote!(let _ = speak("a"); x),
            "`let _ = …` runs something for its effect",
        ),
        (
            quote!(parallel!({ a(); }, { b(); }); x),
            "parallel! runs steps",
        ),
        (quote!(return x), "loops, `break`, `continue` and `return`"),
        (quote!(let y = x;), "ends with the value it computes"),
        (quote!(get(x)?), "`?` applies to a step"),
        (quote!(get(&mut x)), "a #[value] helper changes nothing"),
        (
            quote!(xs.iter().map(|v| v)),
            "closures are not supported in a #[value] helper",
        ),
    ];
    for (body, want) in cases {
        let e = helper(quote!(x: Val), body.clone()).unwrap_err();
        assert!(e.contains(want), "{body}: {e}");
        assert!(
            e.contains("#[value]") || e.contains("#[call_flow]"),
            "{body}: {e}"
        );
        assert_eq!(e.lines().count(), 1, "{body}: one mistake, one error: {e}");
    }
}

#[test]
fn the_signature_returns_a_value_and_changes_nothing() {
    let cx = crate::ctxt::Ctxt::new();
    let h = crate::parse::helper(
        &cx,
        quote!(),
        quote!(
            async fn f(mut a: Val, b: &mut Val) {
                a
            }
        ),
    )
    .unwrap();
    crate::check::helper(&cx, &h);
    let e = crate::testing::messages(cx);
    assert_eq!(e.len(), 4, "{e:?}");
    assert!(e[0].contains("cannot be `async`"), "{e:?}");
    assert!(e[1].contains("add the return type"), "{e:?}");
    assert!(e[2].contains("parameter cannot be `mut`"), "{e:?}");
    assert!(e[3].contains("not `&mut`"), "{e:?}");
}

#[test]
fn arguments_and_items_that_are_not_functions_are_refused() {
    let cx = crate::ctxt::Ctxt::new();
    assert!(crate::parse::helper(
        &cx,
        quote!(x),
        quote!(
            fn f() -> Val {
                1
            }
        )
    )
    .is_some());
    assert!(crate::parse::helper(
        &cx,
        quote!(),
        quote!(
            struct S;
        )
    )
    .is_none());
    let e = crate::testing::messages(cx);
    assert!(e[0].contains("#[value] takes no arguments"), "{e:?}");
    assert!(e[1].contains("#[value] goes on a function"), "{e:?}");
}
