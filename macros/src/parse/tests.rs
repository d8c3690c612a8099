use crate::ast::{BindingKind, Cond, StepPat, StmtKind, Value};
use crate::testing::parse;
use quote::quote;

fn name_kind(v: &Value) -> Option<BindingKind> {
    match v {
        Value::Name { binding, .. } => binding.as_ref().map(|b| b.kind),
        _ => None,
    }
}

#[test]
fn names_resolve_to_their_declaration() {
    let (flow, errors) = parse(
        quote!(call: &Call, n: Val, total: &mut Val, mut m: Val),
        quote! {
            let a = 1;
            let mut b = a;
            speak(n);
            speak(total);
            speak(m);
            speak(call);
            { let b = 2; speak(b); }
            speak(b);
            speak(elsewhere);
        },
    );
    assert!(errors.is_empty(), "{errors:?}");
    let spoken: Vec<Option<BindingKind>> = flow
        .body
        .stmts
        .iter()
        .flat_map(|s| match &s.kind {
            StmtKind::Value(Value::Call { args, .. }) => vec![name_kind(&args[0])],
            StmtKind::Block(b) => b
                .stmts
                .iter()
                .filter_map(|s| match &s.kind {
                    StmtKind::Value(Value::Call { args, .. }) => Some(name_kind(&args[0])),
                    _ => None,
                })
                .collect(),
            _ => vec![],
        })
        .collect();
    use BindingKind::*;
    assert_eq!(
        spoken,
        [
            Some(Param),
            Some(RefMutParam),
            Some(MutParam),
            Some(Param),
            Some(Let),
            Some(LetMut),
            None
        ]
    );
    // `let mut b = a;` reads the `a` declared before it.
    let StmtKind::Let { value, mutable, .. } = &flow.body.stmts[1].kind else {
        panic!("not a let")
    };
    assert!(*mutable);
    assert_eq!(name_kind(value), Some(Let));
}

#[test]
fn arm_bindings_are_results_inside_their_arm_only() {
    let (flow, errors) = parse(
        quote!(),
        quote! {
            match speak_and_get_digits("?") {
                Ok(r) => speak(r.digits),
                Err(Hangup) => {}
                Err(e) => speak(e.cause),
            }
            if let Ok(d) = receive_digits("1") { speak(d) }
            speak(r);
        },
    );
    assert!(errors.is_empty(), "{errors:?}");
    let StmtKind::StepMatch(m) = &flow.body.stmts[0].kind else {
        panic!("not a step match")
    };
    assert!(matches!(&m.arms[0].pat, StepPat::Ok(Some(r)) if r == "r"));
    assert!(matches!(m.arms[1].pat, StepPat::Hangup));
    let StmtKind::If(i) = &flow.body.stmts[1].kind else {
        panic!("not an if")
    };
    assert!(matches!(&i.cond, Cond::Let { ok: true, bind: Some(d), .. } if d == "d"));
    let StmtKind::Value(Value::Call { args, .. }) = &flow.body.stmts[2].kind else {
        panic!("not a call")
    };
    assert_eq!(
        name_kind(&args[0]),
        None,
        "`r` is out of scope after its arm"
    );
}

#[test]
fn the_tail_is_the_value_and_control_flow_is_not() {
    let (flow, _) = parse(quote!(), quote!(speak("a"); ask()));
    assert!(matches!(flow.body.stmts[1].kind, StmtKind::Tail(_)));
    let (flow, _) = parse(
        quote!(),
        quote!(loop {
            break;
        }),
    );
    assert!(matches!(flow.body.stmts[0].kind, StmtKind::Loop(_)));
}

#[test]
fn unsupported_syntax_is_refused_all_at_once() {
    let (_, errors) = parse(
        quote!((a, b): (Val, Val)),
        quote! {
            for x in y {}
            let (c, d) = e;
            let f = |x| x;
            let g: Val = h;
            let i = j else { return; };
            'outer: loop { break 'outer; }
            speak(k & l);
            while let Ok(m) = n {}
            let o = async {};
            let p = match q { Ok(_) => 1, Err(_) => 2 };
            fn item() {}
            speak(println!("x"));
            parallel!({ a() });
            let r = if s { t };
            let u = format!("{:>5}", v);
        },
    );
    let expected = [
        "flow parameters are plain names",
        "`for` loops are not supported",
        "destructuring is not supported",
        "closures are not supported",
        "type annotations are not used",
        "`let … else` is not supported",
        "loop labels are not supported",
        "bitwise and shift operators",
        "`while let` is not supported",
        "`async` is not supported",
        "a `match` on a step's `Ok`/`Err` is a statement",
        "items (fn, struct, impl…) cannot be declared",
        "`println!` is not supported",
        "parallel! needs at least two blocks",
        "an `if` used as a value needs an `else`",
        "format spec `{:>5}` is not supported",
    ];
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
    for (e, want) in errors.iter().zip(expected) {
        assert!(e.contains(want), "{e:?} should contain {want:?}");
    }
}

#[test]
fn match_patterns_are_literals() {
    let (_, errors) = parse(
        quote!(),
        quote!(match d {
            "1" | "2" => a(),
            y => b(),
            Some(z) => c(),
            _ => {}
        }),
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("`y` would bind the value"), "{errors:?}");
    assert!(errors[1].contains("match patterns in a call flow are literals"));
}

#[test]
fn not_a_function_is_reported() {
    let cx = crate::ctxt::Ctxt::new();
    assert!(crate::parse::flow(
        &cx,
        quote!(),
        quote!(
            struct S;
        )
    )
    .is_none());
    let errors = crate::testing::messages(cx);
    assert!(
        errors[0].contains("#[call_flow] goes on a function"),
        "{errors:?}"
    );
}

#[test]
fn a_value_match_arm_may_be_a_block_holding_one_expression() {
    // rustfmt writes a multi-line arm body in braces: `"2" => { if c { "a" } else { "b" } }`.
    let (flow, errors) = parse(
        quote!(d: Val, c: Val),
        quote!(let k = match d.as_str() {
            "1" => "one",
            "2" => {
                if c {
                    "a"
                } else {
                    "b"
                }
            }
            _ => { "other" }
        };),
    );
    assert!(errors.is_empty(), "{errors:?}");
    let StmtKind::Let {
        value: Value::Match(m),
        ..
    } = &flow.body.stmts[0].kind
    else {
        panic!("a value match");
    };
    assert!(matches!(m.arms[1].body, Value::If(_)));
    // A block of statements is still not a value.
    let (_, errors) = parse(
        quote!(d: Val),
        quote!(let k = match d.as_str() { "1" => { speak("x"); "one" } _ => "other" };),
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("a block used as a value"), "{errors:?}");
}
