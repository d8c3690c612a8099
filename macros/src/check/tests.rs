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

#[test]
fn only_let_mut_variables_and_mut_reference_parameters_are_assigned() {
    let params = quote!(call: &Call, n: Val, total: &mut Val);
    let ok = |body| {
        let e = errors(params.clone(), body);
        assert!(e.is_empty(), "{e:?}");
    };
    ok(quote!(let mut x = 1; x = 2; x += n;));
    ok(quote!(*total = 0; *total += 1;));
    // Shadowing by a `let mut` makes a variable of this flow.
    ok(quote!(let mut n = n; n += 1;));
    let refused = |body, want: &str| {
        let e = errors(params.clone(), body);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains(want), "{e:?} should contain {want:?}");
    };
    refused(
        quote!(let x = call.from; x = "a";),
        "`x` is not declared `mut`: declare it `let mut x = …;`",
    );
    refused(quote!(n += 1;), "`n` is a parameter, the caller's value");
    refused(quote!(total = 0;), "assign through it, `*total = …`");
    refused(
        quote!(*n = 0;),
        "`*x = …` assigns through a `&mut` parameter",
    );
    refused(quote!(call.from = "a";), "only a variable can be assigned");
    refused(
        quote!(match s() {
            Ok(r) => {
                r = 1;
            }
            Err(_) => {}
        }),
        "`r` is a step's result",
    );
    // An inner `let` ends with its block.
    refused(
        quote!(let mut x = 1; { let x = 2; x = 3; } x = 4;),
        "`x` is not declared `mut`",
    );
}

#[test]
fn mut_references_pass_let_mut_variables_and_mut_parameters() {
    let params = quote!(n: Val, total: &mut Val);
    let e = errors(
        params.clone(),
        quote!(let mut x = 1; f(&mut x); f(total); f(&mut *total);),
    );
    assert!(e.is_empty(), "{e:?}");
    let refused = |body, want: &str| {
        let e = errors(params.clone(), body);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains(want), "{e:?} should contain {want:?}");
    };
    refused(
        quote!(let x = n; f(&mut x);),
        "declare it `let mut x = …;` to pass it as `&mut x`",
    );
    refused(quote!(f(&mut n);), "take it as `n: &mut Val`");
    refused(
        quote!(f(&mut total);),
        "already a `&mut` parameter: pass it on as `total`",
    );
    refused(
        quote!(f(&mut n.field);),
        "`&mut` in a call flow passes a `let mut` variable",
    );
}

#[test]
fn a_mut_parameter_is_refused_once() {
    let e = errors(quote!(mut n: Val), quote!(n += 1; f(&mut n);));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("a flow parameter cannot be `mut`"), "{e:?}");
}

#[test]
fn literal_options_are_checked_on_their_actions_chain() {
    let ok = |body| {
        let e = errors(quote!(cfg: &Cfg), body);
        assert!(e.is_empty(), "{e:?}");
    };
    ok(quote!(call_and_bridge(pstn("+12065550100")).caller_id("+12065550199").ring_for(30);));
    ok(quote!(speak_and_get_digits("?").digits(1..=3).retries(2);));
    // Not options: the methods of a `str`, or of something that is not an action's chain.
    ok(quote!(speak("-".repeat(10)); speak(format!("{}", "ab".repeat(30)));));
    ok(quote!(let x = cfg.greeting.repeat(10);));
    // Not literals: the builder checks them when the flow is built.
    ok(quote!(call_and_bridge(pstn(&cfg.owner)).ring_for(cfg.seconds);));
    let refused = |body, want: &str| {
        let e = errors(quote!(cfg: &Cfg), body);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains(want), "{e:?} should contain {want:?}");
    };
    refused(
        quote!(call_and_bridge(pstn("+12065550100")).ring_for(500);),
        "ring_for(500): CallAndBridge rings for 1 to 120 seconds (CallTimeoutSeconds; https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html)",
    );
    refused(
        quote!(play_audio("b", "k").repeat(10);),
        "repeat(10): PlayAudio plays the file 1 to 5 times",
    );
    refused(
        quote!(speak_and_get_digits("?").digits(1..=3).retries(20);),
        "retries(20)",
    );
    refused(
        quote!(play_audio_and_get_digits("b", "k").digits(0..=300);),
        "0 to 128 digits",
    );
    refused(
        quote!(speak_and_get_digits("?").digits(3..=1);),
        "low..=high",
    );
    refused(
        quote!(call_and_bridge(pstn("2065550100"));),
        "not an E.164 phone number",
    );
    refused(
        quote!(hangup().sip_code(404);),
        "only 0 (normal clearing), 480 (unavailable) or 486 (busy)",
    );
    refused(quote!(pause(50);), "pause(50)");
    refused(
        quote!(call_and_bridge(pstn("+12065550100")).ring_for(-1);),
        "ring_for(-1)",
    );
    refused(
        quote!(take_message("b", "p/").silence_seconds(0);),
        "silence_seconds(0)",
    );
}

#[test]
fn every_out_of_range_literal_is_reported_with_the_other_errors() {
    let e = errors(
        quote!(),
        quote!(for x in y {} pause(50); hangup().sip_code(1);),
    );
    assert_eq!(e.len(), 3, "{e:?}");
}
