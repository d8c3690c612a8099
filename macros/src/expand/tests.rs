use crate::testing::expand;
use quote::quote;

#[test]
fn operators_become_ops_calls() {
    let out = expand(quote!(a: Val, b: Val), quote!(let ok = a == "1" && !b;)).unwrap();
    assert!(out.contains("ops :: and"), "{out}");
    assert!(out.contains("ops :: eq"), "{out}");
    assert!(out.contains("ops :: not"), "{out}");
}

#[test]
fn control_flow_becomes_builder_calls() {
    let out = expand(
        quote!(x: Val),
        quote!(loop {
            if x {
                break;
            } else {
                continue;
            }
        }),
    )
    .unwrap();
    assert!(
        out.contains("loop_")
            && out.contains("if_")
            && out.contains("break_")
            && out.contains("continue_"),
        "{out}"
    );
}

#[test]
fn variables_and_assignments() {
    let out = expand(quote!(), quote!(let mut n = 0; n += 1; let d = n;)).unwrap();
    assert!(
        out.contains("let n = :: switchboard :: __private :: var ("),
        "{out}"
    );
    assert!(
        out.contains("assign (:: switchboard :: __private :: loc (:: core :: file ! () , :: core :: line ! () , :: core :: column ! ()) , n , & (:: switchboard :: __private :: ops :: add (& (n) , & (1))))"),
        "{out}"
    );
    assert!(
        out.contains("let d = :: switchboard :: __private :: bind ("),
        "{out}"
    );
}

#[test]
fn options_stay_plain_calls() {
    let out = expand(
        quote!(),
        quote!(call_and_bridge(pstn("+12065550100")).ring_for(30);),
    )
    .unwrap();
    assert!(
        out.contains("call_and_bridge (pstn (\"+12065550100\")) . ring_for (30)"),
        "{out}"
    );
    assert!(!out.contains("const"), "{out}");
}

#[test]
fn step_matches_become_try() {
    let out = expand(
        quote!(x: Val),
        quote!(match call_and_bridge(x) {
            Ok(_) => wait_for_hangup(),
            Err(Hangup) => {}
            Err(e) => speak(e.cause),
        }),
    )
    .unwrap();
    assert!(out.contains("try_") && out.contains("ErrArm"), "{out}");
    let out = expand(
        quote!(),
        quote!(match take_message("b", "p/") {
            Ok(m) => {}
            Err(Hangup(m)) => file(m),
        }),
    )
    .unwrap();
    assert!(
        out.contains("try_keep") && out.contains("must_keep"),
        "{out}"
    );
}

#[test]
fn value_match_tests_arms_in_order() {
    let out = expand(
        quote!(d: Val),
        quote!(let x = match d { "1" | "2" => 1, "3" => 2, _ => 3 };),
    )
    .unwrap();
    let first = out.find("\"1\"").unwrap();
    let third = out.find("\"3\"").unwrap();
    assert!(first < third, "{out}");
    assert!(out.contains("ops :: cond"), "{out}");
}

#[test]
fn entry_flows_are_registered() {
    let cx = crate::ctxt::Ctxt::new();
    let flow = crate::parse::flow(
        &cx,
        quote!(name = "front-desk"),
        quote!(
            /// Greets.
            fn front_desk(call: &Call, cfg: &Desk) {
                speak("Hi.");
            }
        ),
    )
    .unwrap();
    crate::check::flow(&cx, &flow);
    assert!(cx.check().is_ok());
    let out = crate::expand::flow(&flow).to_string();
    assert!(
        out.contains("impl :: switchboard :: __private :: CallFlow for front_desk"),
        "{out}"
    );
    assert!(out.contains("type Config = Desk"), "{out}");
    assert!(out.contains("\"Greets.\""), "{out}");
    assert!(out.contains("let _ = & call ;"), "{out}");
}

#[test]
fn mut_references_pass_a_copy_of_the_handle() {
    let out = expand(
        quote!(total: &mut Val),
        quote!(let mut n = 0; f(&mut n); g(total); *total += total.len();),
    )
    .unwrap();
    assert!(
        out.contains("f ((& mut :: switchboard :: __private :: alias (n)))"),
        "{out}"
    );
    assert!(
        out.contains("g ((& mut :: switchboard :: __private :: alias (* total)))"),
        "{out}"
    );
    assert!(out.contains("assign (") && out.contains(", * total , & (:: switchboard :: __private :: ops :: add (& (* total) , & ((& mut :: switchboard :: __private :: alias (* total)) . len ()))))"), "{out}");
}
