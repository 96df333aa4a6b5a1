// The contest buzzer: pick a team, then one big button. Presses are
// ordered on the server; this page only sends them. ES2017, no libraries.
"use strict";
(function () {
  var teamsBox = document.getElementById("teams");
  var pick = document.getElementById("pick");
  var buzz = document.getElementById("buzz");
  var status = document.getElementById("status");
  var title = document.getElementById("title");
  var ws = null;
  var team = null;

  function say(text) { status.textContent = text; }

  function connect() {
    ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
    ws.onopen = function () {
      say(team === null ? "请选择队伍" : "");
      if (team !== null) { ws.send(JSON.stringify({ t: "team", team: team })); }
    };
    ws.onmessage = function (e) {
      var m;
      try { m = JSON.parse(e.data); } catch (err) { return; }
      if (m.t === "teams") { showTeams(m.teams); }
      else if (m.t === "ok") { title.textContent = m.name + " 抢答器"; pick.classList.add("hidden"); buzz.classList.remove("hidden"); say("主持人宣布开始后按下按钮"); }
      else if (m.t === "pressed") { say("已按下，请看投影"); }
      else if (m.t === "error") { say(m.msg); }
    };
    ws.onclose = function () { say("连接断开，正在重连……"); setTimeout(connect, 1500); };
  }

  function showTeams(teams) {
    while (teamsBox.firstChild) { teamsBox.removeChild(teamsBox.firstChild); }
    teams.forEach(function (name, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = name;
      b.addEventListener("click", function () {
        team = i;
        ws.send(JSON.stringify({ t: "team", team: i }));
      });
      teamsBox.appendChild(b);
    });
  }

  function press(e) {
    if (e) { e.preventDefault(); }
    if (ws && ws.readyState === 1) {
      ws.send(JSON.stringify({ t: "press" }));
      buzz.classList.add("pressed");
      setTimeout(function () { buzz.classList.remove("pressed"); }, 200);
    }
  }
  buzz.addEventListener("touchstart", press);
  buzz.addEventListener("mousedown", press);
  connect();
})();
