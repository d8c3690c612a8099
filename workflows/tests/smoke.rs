#[test]
fn front_desk_builds() {
    let def = &switchboard_workflows::registry()[0];
    let cfg = serde_json::json!({"name": "Acme", "sales": "+12065550100", "bucket": "b"});
    let flow = def.build(&cfg).unwrap();
    assert!(flow.errors.is_empty(), "{:?}", flow.errors);
    println!("{:#?}", flow.body);
}
