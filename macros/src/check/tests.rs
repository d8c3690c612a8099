use crate::testing::errors;
use quote::quote;

#[test]
fn break_and_continue_need_a_loop() {
    let e = errors(quote!(), quote!(break; loop { continue; }));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("`break` outside a loop"));
    // A parallel branch is not inside the loop around it.
    let e = errors(
        quote!(),
        quote!(loop {
            parallel!(
                {
                    break;
                },
                {
                    a();
                }
            );
        }),
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("`break` outside a loop"));
    assert!(errors(
        quote!(),
        quote!(while x {
            if y {
                break;
            } else {
                continue;
            }
        })
    )
    .is_empty());
}

#[test]
fn collects_every_error_of_both_stages() {
    let e = errors(quote!(), quote!(break; for x in y {} let (a, b) = c;));
    assert_eq!(e.len(), 3, "{e:?}");
    // Parse errors first, then the checks'.
    assert!(e[0].contains("`for` loops"));
    assert!(e[2].contains("`break` outside a loop"));
}

#[test]
fn step_match_arms_follow_rusts_order() {
    assert!(errors(
        quote!(),
        quote!(match call_and_bridge(x) {
            Ok(_) => wait_for_hangup(),
            Err(Hangup) => {}
            Err(e) => speak(e.cause),
        })
    )
    .is_empty());
    // `Err(Hangup)` after `Err(e)` could never match.
    let e = errors(
        quote!(),
        quote!(match call_and_bridge(x) {
            Ok(_) => wait_for_hangup(),
            Err(e) => speak(e.cause),
            Err(Hangup) => {}
        }),
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("put it before the `Err(…)` arm"), "{e:?}");
    let e = errors(
        quote!(),
        quote!(match x {
            Err(e) => {}
            Err(Hangup) => {}
            Err(Hangup) => {}
            Err(f) => {}
            Some(y) => {}
        }),
    );
    let want = [
        "comes after the `Err(…)` arm",
        "repeats the `Err(Hangup)` arm",
        "repeats an `Ok`/`Err` arm",
        "takes `Ok(x)`, `Err(e)` and `Err(Hangup)` arms",
        "no `Ok(…)` arm",
    ];
    assert_eq!(e.len(), want.len(), "{e:#?}");
    for (e, want) in e.iter().zip(want) {
        assert!(e.contains(want), "{e:?} should contain {want:?}");
    }
}

#[test]
fn a_match_needs_its_wildcard_last() {
    let e = errors(
        quote!(),
        quote!(match d {
            "1" => a(),
            "2" => b(),
        }),
    );
    assert_eq!(e.len(), 1);
    assert!(e[0].contains("no `_ =>` arm"), "{e:?}");
    let e = errors(
        quote!(),
        quote!(match d {
            _ => a(),
            "2" => b(),
        }),
    );
    assert!(e[0].contains("the `_` arm must be the last arm"), "{e:?}");
}

#[test]
fn a_value_match_needs_its_wildcard_last() {
    // Rust would never reach `"1"` after `_`; the flow must not either.
    let e = errors(quote!(), quote!(let x = match d { _ => 1, "1" => 2 };));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("the `_` arm must be the last arm"), "{e:?}");
    let e = errors(quote!(), quote!(let x = match d { "1" => 2 };));
    assert!(e[0].contains("needs a `_ =>` arm"), "{e:?}");
    assert!(errors(
        quote!(),
        quote!(let x = match d { "1" | "2" => 2, _ => 3 };)
    )
    .is_empty());
}

#[test]
fn entry_flow_signatures() {
    let cx = crate::ctxt::Ctxt::new();
    let flow = crate::parse::flow(
        &cx,
        quote!(name = "menu"),
        quote!(
            async fn menu<T>(call: Call, cfg: &Cfg) -> Val {}
        ),
    )
    .unwrap();
    crate::check::flow(&cx, &flow);
    let e = crate::testing::messages(cx);
    let want = [
        "cannot be `async`",
        "cannot be generic",
        "first parameter is the call",
        "returns nothing",
    ];
    assert_eq!(e.len(), want.len(), "{e:#?}");
    for (e, want) in e.iter().zip(want) {
        assert!(e.contains(want), "{e:?} should contain {want:?}");
    }
}
