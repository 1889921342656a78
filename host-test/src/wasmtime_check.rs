//! `host-test wasmtime-check`: the receiver under the real `wasmtime serve -Scli` (not our own
//! accept loop), as an operator would run it, forwarding without a token to a fake forward
//! target: LinkedIn's challenge, a signed POST (forwarded once, signed, lead null) and a forged
//! POST (401, nothing forwarded). The settings reach wasmtime as its own environment and go to
//! the guest with `--env NAME`, so no secret is on its command line.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

use crate::fakes::{self, FakeForward, Reply};

const CLIENT_SECRET: &str = "check-client-secret";
const FORWARD_SECRET: &str = "check-forward-secret-0123456789";
const CODE: &str = "890e4665-4dfe-4ab1-b689-ed553bceeed0";

/// Kills the server when the check ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the check; each step is printed as it passes, and the first failure ends it.
pub fn run(wasmtime: &Path, receiver: &Path) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(check(wasmtime, receiver))
}

async fn check(wasmtime: &Path, receiver: &Path) -> Result<()> {
    let forward = FakeForward::start().await?;
    let free = std::net::TcpListener::bind("127.0.0.1:0")?;
    let addr = free.local_addr()?;
    drop(free);
    let version = Command::new(wasmtime)
        .arg("--version")
        .output()
        .with_context(|| format!("running {}", wasmtime.display()))?;
    println!(
        "wasmtime-check: {}",
        String::from_utf8_lossy(&version.stdout).trim()
    );
    let child = Command::new(wasmtime)
        .args(["serve", "-Scli", "--addr", &addr.to_string()])
        .args(["--env", "LINKEDIN_CLIENT_SECRET"])
        .args(["--env", "FORWARD_URL"])
        .args(["--env", "FORWARD_SECRET"])
        .arg(receiver)
        .env("LINKEDIN_CLIENT_SECRET", CLIENT_SECRET)
        .env("FORWARD_URL", forward.url())
        .env("FORWARD_SECRET", FORWARD_SECRET)
        .stdin(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {} serve", wasmtime.display()))?;
    let mut server = Server(child);
    println!(
        "wasmtime-check: wasmtime serve -Scli --addr {addr} --env LINKEDIN_CLIENT_SECRET \
         --env FORWARD_URL --env FORWARD_SECRET {}",
        receiver.display()
    );

    let challenge = wait_for(&mut server, addr).await?;
    expect(&challenge, 200, "the challenge")?;
    let expected = json!({
        "challengeCode": CODE,
        "challengeResponse": fakes::challenge_response(CLIENT_SECRET, CODE),
    });
    if challenge.json() != expected {
        bail!(
            "the challenge answered {}",
            String::from_utf8_lossy(&challenge.body)
        );
    }
    println!("wasmtime-check: challenge answered 200 with the right challengeResponse");

    let body = fakes::notification("wasmtime-1", "CREATED", 1_686_182_358_881);
    let signature = fakes::linkedin_signature(CLIENT_SECRET, body.as_bytes());
    let reply = fakes::send(addr, "POST", "/", &[("x-li-signature", &signature)], body).await?;
    expect(&reply, 200, "the signed notification")?;
    let forwards = forward.received();
    let [forwarded] = forwards.as_slice() else {
        bail!("{} forwards for one signed notification", forwards.len());
    };
    fakes::forward_signed(FORWARD_SECRET, forwarded)?;
    let delivery = forwarded.json();
    let id = "urn:li:leadGenFormResponse:wasmtime-1:CREATED:1686182358881";
    if delivery["deliveryId"] != id || delivery["lead"] != Value::Null {
        bail!("the forward was {delivery}");
    }
    println!("wasmtime-check: signed notification answered 200, forwarded once, signed, lead null");

    let forged = fakes::notification("forged-1", "CREATED", 1_686_182_358_881);
    let reply = fakes::send(addr, "POST", "/", &[("x-li-signature", &signature)], forged).await?;
    expect(&reply, 401, "the forged notification")?;
    if forward.received().len() != 1 {
        bail!("the forged notification was forwarded");
    }
    println!("wasmtime-check: forged notification answered 401, nothing forwarded");
    println!("wasmtime-check: passed");
    Ok(())
}

/// The challenge, asked until wasmtime has compiled the component and listens (a minute at
/// most).
async fn wait_for(server: &mut Server, addr: SocketAddr) -> Result<Reply> {
    let started = Instant::now();
    loop {
        let path = format!("/linkedin/webhook?challengeCode={CODE}");
        match fakes::send(addr, "GET", &path, &[], "").await {
            Ok(reply) => return Ok(reply),
            Err(e) if started.elapsed() > Duration::from_secs(60) => {
                return Err(e.context("wasmtime serve did not answer within a minute"));
            }
            Err(_) => {}
        }
        if let Some(status) = server.0.try_wait()? {
            return Err(anyhow!("wasmtime serve exited ({status})"));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn expect(reply: &Reply, status: u16, what: &str) -> Result<()> {
    if reply.status != status {
        bail!(
            "{what} answered {} (expected {status}): {}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
        );
    }
    Ok(())
}
