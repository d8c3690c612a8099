//! The template sets the custom resources' `ServiceTimeout` the provider plans its waits on.

#[test]
fn the_template_and_the_provider_agree_on_the_service_timeout() {
    assert_eq!(
        switchboard_stack::number::PROVIDER_SERVICE_TIMEOUT,
        switchboard_provider::SERVICE_TIMEOUT_SECONDS
    );
}
