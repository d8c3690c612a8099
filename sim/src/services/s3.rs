//! In-memory S3 objects (recordings, prompts): bucket/key → bytes.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::integration::TaskFailure;

/// Buckets and their objects.
#[derive(Debug, Default, Clone)]
pub struct S3 {
    buckets: BTreeMap<String, BTreeMap<String, Vec<u8>>>,
}

impl S3 {
    /// No buckets.
    pub fn new() -> Self {
        Self::default()
    }

    /// Create a bucket (idempotent).
    pub fn create_bucket(&mut self, bucket: &str) {
        self.buckets.entry(bucket.to_string()).or_default();
    }

    /// Whether `bucket` exists.
    pub fn bucket_exists(&self, bucket: &str) -> bool {
        self.buckets.contains_key(bucket)
    }

    /// Store an object.
    pub fn put(&mut self, bucket: &str, key: &str, bytes: Vec<u8>) -> Result<(), TaskFailure> {
        let b = self
            .buckets
            .get_mut(bucket)
            .ok_or_else(|| no_bucket(bucket))?;
        b.insert(key.to_string(), bytes);
        Ok(())
    }

    /// Read an object.
    pub fn get(&self, bucket: &str, key: &str) -> Result<&[u8], TaskFailure> {
        let b = self.buckets.get(bucket).ok_or_else(|| no_bucket(bucket))?;
        b.get(key).map(Vec::as_slice).ok_or_else(|| {
            TaskFailure::new(
                "S3.NoSuchKey",
                format!("The specified key does not exist: s3://{bucket}/{key}"),
            )
        })
    }

    /// Delete an object; `false` if there was none.
    pub fn delete(&mut self, bucket: &str, key: &str) -> bool {
        self.buckets
            .get_mut(bucket)
            .is_some_and(|b| b.remove(key).is_some())
    }

    /// Keys in `bucket` starting with `prefix`, in order.
    pub fn list(&self, bucket: &str, prefix: &str) -> Vec<String> {
        self.buckets.get(bucket).map_or_else(Vec::new, |b| {
            b.keys()
                .filter(|k| k.starts_with(prefix))
                .cloned()
                .collect()
        })
    }

    /// `aws-sdk:s3:putObject` / `getObject` / `deleteObject` with `Bucket`, `Key`, `Body`
    /// (a string).
    pub fn call(&mut self, action: &str, args: &Value) -> Result<Value, TaskFailure> {
        let field = |name: &str| {
            args.get(name).and_then(Value::as_str).ok_or_else(|| {
                TaskFailure::new(
                    "S3.S3Exception",
                    format!("s3:{action} needs a string '{name}'"),
                )
            })
        };
        let (bucket, key) = (field("Bucket")?, field("Key")?);
        match action {
            "putObject" => {
                let body = match args.get("Body") {
                    Some(Value::String(s)) => s.clone().into_bytes(),
                    Some(other) => other.to_string().into_bytes(),
                    None => Vec::new(),
                };
                self.put(bucket, key, body)?;
                Ok(json!({"ETag": format!("\"{}\"", key.len())}))
            }
            "getObject" => {
                let bytes = self.get(bucket, key)?;
                Ok(json!({
                    "Body": String::from_utf8_lossy(bytes),
                    "ContentLength": bytes.len(),
                }))
            }
            "deleteObject" => {
                self.delete(bucket, key);
                Ok(json!({}))
            }
            other => Err(TaskFailure::new(
                switchboard_asl::errors::RUNTIME,
                format!(
                    "the simulator has no integration for 'arn:aws:states:::aws-sdk:s3:{other}'"
                ),
            )),
        }
    }
}

fn no_bucket(bucket: &str) -> TaskFailure {
    TaskFailure::new(
        "S3.NoSuchBucket",
        format!("The specified bucket does not exist: '{bucket}'"),
    )
}
