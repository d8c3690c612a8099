//! `Custom::SipMediaApplication` and `Custom::SipRule`.
//!
//! A SIP rule must be disabled before it is deleted: "You must disable a SIP rule before you can
//! delete it" (<https://docs.aws.amazon.com/chime-sdk/latest/ag/delete-sip-rule.html>, and the
//! DeleteSipRule reference). Delete therefore reads the rule (GetSipRule), disables it
//! (UpdateSipRule, which requires its Name) and then deletes it (DeleteSipRule).

use aws_sdk_chimesdkvoice::types::{
    SipMediaApplicationEndpoint, SipRuleTargetApplication, SipRuleTriggerType,
};
use serde_json::{Map, Value};

use crate::handler::{Ctx, Done, Provider, Step, Stop};
use crate::props::{PhysicalId, SipMediaApplication, SipRule};
use crate::retry::{Failure, Idempotent};

fn done(key: &str, id: &str) -> Done {
    let mut data = Map::new();
    data.insert(key.to_owned(), Value::from(id));
    Done {
        physical_id: id.to_owned(),
        data,
    }
}

fn unchanged(cx: &Ctx<'_>) -> Done {
    Done {
        physical_id: cx.req.physical_resource_id.clone().unwrap_or_default(),
        data: Map::new(),
    }
}

/// What to do about a resource an Update was sent for that no longer exists.
fn gone(kind: &str, id: &str) -> Stop {
    Stop::Fail(format!(
        "the {kind} {id} no longer exists (deleted outside CloudFormation): delete the stack's \
         resource and deploy again, or restore it"
    ))
}

impl Provider {
    pub(crate) async fn put_sma(
        &self,
        cx: &mut Ctx<'_>,
        p: &SipMediaApplication,
        update: Option<(&PhysicalId, &SipMediaApplication)>,
    ) -> Step {
        let endpoint = SipMediaApplicationEndpoint::builder()
            .lambda_arn(&p.lambda_arn)
            .build();
        if let Some((PhysicalId::Other(id), old)) = update {
            if old.aws_region == p.aws_region {
                let updated = self
                    .call(cx, "UpdateSipMediaApplication", Idempotent::Yes, || {
                        self.chime
                            .update_sip_media_application()
                            .sip_media_application_id(id)
                            .name(&p.name)
                            .endpoints(endpoint.clone())
                            .send()
                    })
                    .await;
                return match updated {
                    Ok(_) => Ok(done("SipMediaApplicationId", id)),
                    Err(Failure::NotFound(_)) => Err(gone("SIP media application", id)),
                    Err(f) => Err(f.into()),
                };
            }
            // Another Region: a new application (a replacement).
        }
        let created = self
            .call(cx, "CreateSipMediaApplication", Idempotent::No, || {
                self.chime
                    .create_sip_media_application()
                    .aws_region(&p.aws_region)
                    .name(&p.name)
                    .endpoints(endpoint.clone())
                    .send()
            })
            .await?;
        match created
            .sip_media_application()
            .and_then(|a| a.sip_media_application_id())
        {
            Some(id) => Ok(done("SipMediaApplicationId", id)),
            None => Err(Stop::Fail(
                "CreateSipMediaApplication answered without an id: see `aws chime-sdk-voice \
                 list-sip-media-applications` and delete the one named as this resource"
                    .into(),
            )),
        }
    }

    pub(crate) async fn delete_sma(&self, cx: &mut Ctx<'_>, id: &PhysicalId) -> Step {
        let PhysicalId::Other(id) = id else {
            return Ok(unchanged(cx));
        };
        match self
            .call(cx, "DeleteSipMediaApplication", Idempotent::Yes, || {
                self.chime
                    .delete_sip_media_application()
                    .sip_media_application_id(id)
                    .send()
            })
            .await
        {
            Ok(_) | Err(Failure::NotFound(_)) => Ok(unchanged(cx)),
            Err(f) => Err(f.into()),
        }
    }

    pub(crate) async fn put_rule(
        &self,
        cx: &mut Ctx<'_>,
        p: &SipRule,
        update: Option<(&PhysicalId, &SipRule)>,
    ) -> Step {
        let target = SipRuleTargetApplication::builder()
            .sip_media_application_id(&p.sip_media_application_id)
            .priority(p.priority)
            .aws_region(&p.aws_region)
            .build();
        if let Some((PhysicalId::Other(id), old)) = update {
            if old.trigger_value == p.trigger_value {
                let updated = self
                    .call(cx, "UpdateSipRule", Idempotent::Yes, || {
                        self.chime
                            .update_sip_rule()
                            .sip_rule_id(id)
                            .name(&p.name)
                            .disabled(false)
                            .target_applications(target.clone())
                            .send()
                    })
                    .await;
                return match updated {
                    Ok(_) => Ok(done("SipRuleId", id)),
                    Err(Failure::NotFound(_)) => Err(gone("SIP rule", id)),
                    Err(f) => Err(f.into()),
                };
            }
            // Another number: a new rule (a replacement; UpdateSipRule cannot change the trigger).
        }
        let created = self
            .call(cx, "CreateSipRule", Idempotent::No, || {
                self.chime
                    .create_sip_rule()
                    .name(&p.name)
                    .trigger_type(SipRuleTriggerType::ToPhoneNumber)
                    .trigger_value(&p.trigger_value)
                    .disabled(false)
                    .target_applications(target.clone())
                    .send()
            })
            .await?;
        match created.sip_rule().and_then(|r| r.sip_rule_id()) {
            Some(id) => Ok(done("SipRuleId", id)),
            None => Err(Stop::Fail(
                "CreateSipRule answered without an id: see `aws chime-sdk-voice list-sip-rules` \
                 and delete the one named as this resource"
                    .into(),
            )),
        }
    }

    pub(crate) async fn delete_rule(&self, cx: &mut Ctx<'_>, id: &PhysicalId) -> Step {
        let PhysicalId::Other(id) = id else {
            return Ok(unchanged(cx));
        };
        let rule = match self
            .call(cx, "GetSipRule", Idempotent::Yes, || {
                self.chime.get_sip_rule().sip_rule_id(id).send()
            })
            .await
        {
            Err(Failure::NotFound(_)) => return Ok(unchanged(cx)),
            other => other?,
        };
        let Some(rule) = rule.sip_rule() else {
            return Ok(unchanged(cx));
        };
        if rule.disabled() != Some(true) {
            let disabled = self
                .call(cx, "UpdateSipRule", Idempotent::Yes, || {
                    self.chime
                        .update_sip_rule()
                        .sip_rule_id(id)
                        .name(rule.name().unwrap_or(id))
                        .disabled(true)
                        .set_target_applications(Some(rule.target_applications().to_vec()))
                        .send()
                })
                .await;
            match disabled {
                Ok(_) => {}
                Err(Failure::NotFound(_)) => return Ok(unchanged(cx)),
                Err(f) => return Err(f.into()),
            }
        }
        match self
            .call(cx, "DeleteSipRule", Idempotent::Yes, || {
                self.chime.delete_sip_rule().sip_rule_id(id).send()
            })
            .await
        {
            Ok(_) | Err(Failure::NotFound(_)) => Ok(unchanged(cx)),
            Err(f) => Err(f.into()),
        }
    }
}
