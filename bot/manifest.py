"""The Slack app manifest, for an HTTP address or for Socket Mode (`python -m bot manifest`); manifest.yml is the
HTTP one for a placeholder address."""

from __future__ import annotations

EXAMPLE_URL = "https://dialcampaign.example.com"
SCOPES = ("commands", "chat:write", "chat:write.public", "users:read", "files:read", "usergroups:read", "im:write",
          "channels:read", "groups:read")

_HEAD = """\
# Slack app manifest: api.slack.com/apps -> Create New App -> From an app manifest -> paste this file.
# {how}
display_information:
  name: Dial Campaign
  description: Launch Tencent Cloud Contact Center cruise dialing campaigns from Slack.
  background_color: "#1d3b5c"
features:
  app_home:
    home_tab_enabled: true
    messages_tab_enabled: true
    messages_tab_read_only_enabled: true
  bot_user:
    display_name: dialcampaign
    always_online: true
  slash_commands:
    - command: /dialcampaign
{url_line}\
      description: Launch a CCC agent cruise dialing campaign (preview first, nothing sent until you confirm)
      usage_hint: "[agent@example.com] [tomorrow 9am to 11am] | help"
      should_escape: false
oauth_config:
  scopes:
    bot:
{scopes}
settings:
  event_subscriptions:
{events_url}\
    bot_events:
      - app_home_opened
  interactivity:
    is_enabled: true
{interactivity_urls}\
  org_deploy_enabled: false
  socket_mode_enabled: {socket}
  token_rotation_enabled: false
"""


def render(*, url: str | None = None, socket: bool = False) -> str:
    """The manifest as YAML text; `url` is where the `web:` process is reachable (its /slack/events path)."""
    scopes = "\n".join(f"      - {scope}" for scope in SCOPES)
    if socket:
        how = "Socket Mode: no public address; then create an app-level token (connections:write) = SLACK_APP_TOKEN."
        return _HEAD.format(how=how, url_line="", scopes=scopes, events_url="", interactivity_urls="",
                            socket="true")
    base = (url or EXAMPLE_URL).rstrip("/")
    if not base.startswith("https://"):
        raise SystemExit("dialcampaign: manifest --url must be the public https:// address Slack will call")
    events = f"{base}/slack/events"
    how = (f"Replace {EXAMPLE_URL} with the address your `web:` process is served on,\n"
           "# or run: python -m bot manifest --url https://your.host" if url is None or base == EXAMPLE_URL else
           f"For the `web:` process served at {base}.")
    return _HEAD.format(how=how, url_line=f"      url: {events}\n", scopes=scopes,
                        events_url=f"    request_url: {events}\n",
                        interactivity_urls=f"    request_url: {events}\n    message_menu_options_url: {events}\n",
                        socket="false")
