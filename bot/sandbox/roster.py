"""The sandbox's demo CCC application: its SdkAppId, key, agents and caller numbers (some not allowed to call)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SDK_APP_ID = 1400000000
SECRET_ID = "AKIDsandbox0000000000000000000000000"
SECRET_KEY = "sandbox-key-not-a-secret"  # the client signs with it and the emulator checks it, like Tencent
ENDPOINT = "https://ccc.sandbox.invalid"  # .invalid never resolves: nothing can leave the process


@dataclass(frozen=True)
class Roster:
    staff: tuple[dict[str, Any], ...]
    numbers: tuple[dict[str, Any], ...]

    @property
    def mails(self) -> set[str]:
        return {str(s["Mail"]) for s in self.staff}

    def number_state(self, number: str) -> int | None:
        return next((int(n["State"]) for n in self.numbers if n["Number"] == number), None)


DEMO = Roster(
    staff=(
        {"Name": "Ada Lovelace", "Mail": "ada@sandbox.example", "Phone": "", "Nick": "Ada", "StaffNumber": "1001",
         "RoleId": 3, "SkillGroupList": []},
        {"Name": "李娜", "Mail": "lina@sandbox.example", "Phone": "", "Nick": "Lina", "StaffNumber": "1002",
         "RoleId": 3, "SkillGroupList": []},
        {"Name": "Grace Hopper", "Mail": "grace@sandbox.example", "Phone": "", "Nick": "Grace",
         "StaffNumber": "1003", "RoleId": 3, "SkillGroupList": []},
        {"Name": "王伟", "Mail": "wangwei@sandbox.example", "Phone": "", "Nick": "Wei", "StaffNumber": "1004",
         "RoleId": 3, "SkillGroupList": []},
    ),
    # As the CCC console shows them; State 1 can call, 2 stopped for arrears, 4 stopped by an admin.
    numbers=(
        {"Number": "0086075586013388", "CallOutSkillGroupIds": [], "State": 1, "CostType": 1},
        {"Number": "008602088881234", "CallOutSkillGroupIds": [], "State": 1, "CostType": 1},
        {"Number": "0086010588886666", "CallOutSkillGroupIds": [], "State": 2, "CostType": 1},
        {"Number": "008602188880000", "CallOutSkillGroupIds": [], "State": 4, "CostType": 1},
    ),
)
