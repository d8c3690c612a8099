//! What the stacks reference: the Lambda zips (built with each package's `package` binary, or
//! given prebuilt) and the definitions and templates too large to pass inline, uploaded to the
//! artifacts bucket under their content's SHA-256, so an unchanged file is never uploaded again.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::{root, Error};

/// A file to upload: its key (content-addressed) and bytes.
#[derive(Debug, Clone)]
pub struct Object {
    pub key: String,
    pub bytes: Vec<u8>,
}

impl Object {
    /// `<prefix>/<sha256>.<ext>`.
    pub fn addressed(prefix: &str, ext: &str, bytes: Vec<u8>) -> Object {
        Object {
            key: format!("{prefix}/{:x}.{ext}", Sha256::digest(&bytes)),
            bytes,
        }
    }
}

/// The Lambdas `deploy` uploads: package, and its binary that builds `bootstrap.zip` (checking
/// the binary runs on `provided.al2023`).
pub const ROUTER: (&str, &str) = ("switchboard-router", "package");
pub const PROVIDER: (&str, &str) = ("switchboard-provider", "package-provider");

/// The `bootstrap.zip` of `(package, bin)` ([`ROUTER`], [`PROVIDER`]): `given`, or built with
/// `cargo run -p <package> --bin <bin>`.
pub fn lambda_zip((package, bin): (&str, &str), given: Option<&Path>) -> Result<Object, Error> {
    let path = match given {
        Some(p) => p.to_path_buf(),
        None => build(package, bin)?,
    };
    let bytes =
        std::fs::read(&path).map_err(|e| Error(format!("reading {}: {e}", path.display())))?;
    Ok(Object::addressed("code", "zip", bytes))
}

fn build(package: &str, bin: &str) -> Result<PathBuf, Error> {
    let out = root()
        .join("target/switchboard-deploy")
        .join(format!("{package}.zip"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .current_dir(root())
        .args(["run", "--quiet", "-p", package, "--bin", bin, "--", "--out"])
        .arg(&out)
        .status()
        .map_err(|e| Error(format!("running {cargo}: {e}")))?;
    if !status.success() {
        return Err(Error(format!(
            "building {package}'s Lambda zip failed ({status}): see cargo's output above, or pass a prebuilt zip"
        )));
    }
    Ok(out)
}

/// Uploads `object` to `bucket` unless an object with its key is already there (the key is the
/// content's hash, so it holds the same bytes). Returns whether it uploaded.
pub async fn upload(s3: &aws_sdk_s3::Client, bucket: &str, object: &Object) -> Result<bool, Error> {
    match s3
        .head_object()
        .bucket(bucket)
        .key(&object.key)
        .send()
        .await
    {
        Ok(_) => return Ok(false),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => {}
        Err(e) => {
            return Err(Error::aws(
                format!("checking s3://{bucket}/{}", object.key),
                e,
            ))
        }
    }
    s3.put_object()
        .bucket(bucket)
        .key(&object.key)
        .body(object.bytes.clone().into())
        .send()
        .await
        .map_err(|e| Error::aws(format!("uploading s3://{bucket}/{}", object.key), e))?;
    Ok(true)
}

/// Empties a bucket: every object and every version of it. Returns how many were deleted.
pub async fn empty(s3: &aws_sdk_s3::Client, bucket: &str) -> Result<usize, Error> {
    let mut deleted = 0;
    let mut keys: Vec<(String, Option<String>)> = Vec::new();
    // ListObjectVersions pages by key and version markers (the SDK has no paginator for it).
    let (mut key_marker, mut version_marker) = (None::<String>, None::<String>);
    loop {
        let page = s3
            .list_object_versions()
            .bucket(bucket)
            .set_key_marker(key_marker.clone())
            .set_version_id_marker(version_marker.clone())
            .send()
            .await
            .map_err(|e| Error::aws(format!("listing s3://{bucket}"), e))?;
        for v in page.versions() {
            keys.push((
                v.key().unwrap_or_default().to_owned(),
                v.version_id().map(str::to_owned),
            ));
        }
        for m in page.delete_markers() {
            keys.push((
                m.key().unwrap_or_default().to_owned(),
                m.version_id().map(str::to_owned),
            ));
        }
        if page.is_truncated() != Some(true) {
            break;
        }
        key_marker = page.next_key_marker().map(str::to_owned);
        version_marker = page.next_version_id_marker().map(str::to_owned);
    }
    for (key, version) in keys {
        let mut req = s3.delete_object().bucket(bucket).key(&key);
        // Unversioned buckets list their objects with the version id "null".
        if let Some(v) = version.filter(|v| v != "null") {
            req = req.version_id(v);
        }
        req.send()
            .await
            .map_err(|e| Error::aws(format!("deleting s3://{bucket}/{key}"), e))?;
        deleted += 1;
    }
    Ok(deleted)
}

/// The URL CloudFormation reads a template uploaded to `bucket` from.
pub fn template_url(bucket: &str, region: &str, key: &str) -> String {
    format!("https://{bucket}.s3.{region}.amazonaws.com/{key}")
}
