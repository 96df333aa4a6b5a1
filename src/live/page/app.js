/* dangke live: the participant page (docs/live-protocol.md).
 *
 * Plain ES2017 in one classic script, no libraries, no modules: it must run
 * in the browsers people have, WeChat's built-in one included (so no
 * optional chaining, no nullish coalescing, no object spread; the browser
 * test checks). Every string from the
 * server goes into the page through textContent, never as markup. */
(function () {
  'use strict';

  var STORE_KEY = 'dangke-live';
  var MAX_ANSWER = 200;
  var MAX_NAME = 20;

  var KIND_NAMES = {
    choice: '单选题',
    multi: '多选题',
    judge: '判断题',
    fill: '填空题',
    qa: '简答题',
    list: '列举题'
  };
  var OUTCOME_NAMES = {
    right: '回答正确',
    partial: '部分正确',
    wrong: '回答错误',
    none: '未作答'
  };
  var ERROR_TEXT = {
    room: '房间号不正确，请核对投影屏幕上的 6 位房间号。',
    name: '姓名无效，请重新输入。',
    team: '请选择你的队伍。',
    token: '登录信息已失效，请重新加入。',
    closed: '本题已截止，答案未被接受。',
    late: '测验已经开始，本场不允许中途加入。',
    invalid: '答案格式不正确，请重新作答。',
    rate: '操作太频繁，请稍候再试。',
    too_long: '内容过长，请删减后再提交。',
    ended: '本场测验已经结束。',
    answered: '本题已经提交过答案，不能修改。'
  };
  var LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  // Close codes after which the page does not reconnect by itself.
  var FINAL_CLOSE = {
    4000: '你已在另一个页面或设备上登录，本页已断开。刷新本页可在这里继续。',
    1008: '发送过于频繁，连接已被关闭。请稍候刷新本页。',
    1009: '发送的内容过长，连接已被关闭。请刷新本页。'
  };

  var state = {
    ws: null,
    connected: false,
    stopped: false,
    retry: 0,
    retryTimer: 0,
    pingTimer: 0,
    tickTimer: 0,
    room: '',
    token: '',
    pendingJoin: null,
    teams: [],
    welcome: null,
    screen: 'loading',
    current: null,
    closed: false,
    paper: null,
    index: 0,
    deadline: 0,
    span: 0,
    timeUp: false,
    answers: {},
    pending: null,
    results: {},
    drafts: {},
    score: null,
    end: null,
    last: null
  };

  function $(id) {
    return document.getElementById(id);
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function str(value) {
    return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  }

  function num(value) {
    return typeof value === 'number' && isFinite(value) ? value : 0;
  }

  function chars(text) {
    return Array.from(text).length;
  }

  // Control characters out, surrounding space trimmed (the server does the
  // same; doing it here keeps the length count honest).
  function clean(text) {
    return str(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim();
  }

  /* ---------- storage ---------- */

  function load() {
    try {
      var raw = window.localStorage.getItem(STORE_KEY);
      var saved = raw ? JSON.parse(raw) : null;
      return saved && typeof saved === 'object' ? saved : null;
    } catch (e) {
      return null;
    }
  }

  function save() {
    try {
      if (!state.token) {
        window.localStorage.removeItem(STORE_KEY);
        return;
      }
      // The open question and this page's answer to it, so that a reload
      // after the question closed can still show both (the server then
      // only says `closed` or sends the `result`).
      var question = state.current && !state.current.placeholder ? state.current : null;
      window.localStorage.setItem(STORE_KEY, JSON.stringify({
        room: state.room,
        token: state.token,
        end: state.end,
        question: question,
        answer: question ? state.answers[num(question.q)] : undefined
      }));
    } catch (e) {
      /* private mode: resume after a reload will not work, the rest does */
    }
  }

  /* ---------- screens ---------- */

  function show(name) {
    state.screen = name;
    var screens = document.querySelectorAll('.screen');
    for (var i = 0; i < screens.length; i++) {
      screens[i].hidden = screens[i].id !== 's-' + name;
    }
    window.scrollTo(0, 0);
  }

  function showBanner(text) {
    var banner = $('banner');
    banner.textContent = text;
    banner.hidden = false;
  }

  function hideBanner() {
    $('banner').hidden = true;
  }

  function updateBar() {
    var w = state.welcome;
    $('bar-title').textContent = w && w.title ? str(w.title) : '党课学习卡 · 现场测验';
    var me = '';
    if (w) {
      me = str(w.name);
      if (w.team) me += ' · ' + str(w.team);
      if (state.score !== null) me += ' · ' + state.score + ' 分';
    }
    $('bar-me').textContent = me;
  }

  /* ---------- connection ---------- */

  function send(message) {
    if (!state.ws || !state.connected) return false;
    try {
      state.ws.send(JSON.stringify(message));
      return true;
    } catch (e) {
      return false;
    }
  }

  function connect() {
    if (state.ws || state.stopped) return;
    window.clearTimeout(state.retryTimer);
    state.retryTimer = 0;
    var proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    var ws;
    try {
      ws = new WebSocket(proto + '//' + window.location.host + '/ws');
    } catch (e) {
      disconnected();
      return;
    }
    state.ws = ws;
    ws.onopen = function () {
      if (state.ws !== ws) return;
      state.connected = true;
      state.retry = 0;
      hideBanner();
      hello();
      window.clearInterval(state.pingTimer);
      state.pingTimer = window.setInterval(function () {
        send({ t: 'ping' });
      }, 20000);
    };
    ws.onmessage = function (event) {
      if (state.ws !== ws) return;
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (message && typeof message.t === 'string') handle(message);
    };
    ws.onclose = function (event) {
      if (state.ws !== ws) return;
      state.ws = null;
      state.connected = false;
      window.clearInterval(state.pingTimer);
      var final = FINAL_CLOSE[event.code];
      if (final && state.token) {
        // Retrying would not help (or would take the seat back from the
        // page that has it now): say why and stop.
        state.stopped = true;
        window.clearTimeout(state.retryTimer);
        showBanner(final);
        return;
      }
      disconnected();
    };
    ws.onerror = function () {
      /* a close event follows */
    };
  }

  function hello() {
    if (state.token) {
      send({ t: 'resume', room: state.room, token: state.token });
    } else if (state.pendingJoin) {
      send(state.pendingJoin);
    }
  }

  function disconnected() {
    if (state.stopped) return;
    if (state.token) {
      var delay = Math.min(10000, 500 * Math.pow(2, state.retry));
      delay = Math.round(delay * (0.75 + Math.random() * 0.5));
      state.retry += 1;
      showBanner('网络连接已断开，正在重新连接…（第 ' + state.retry + ' 次）');
      window.clearTimeout(state.retryTimer);
      state.retryTimer = window.setTimeout(connect, delay);
      refreshStatus();
    } else if (state.pendingJoin) {
      state.pendingJoin = null;
      joinBusy(false);
      joinError('无法连接到主持人电脑。请确认手机连接的是与电脑相同的 Wi-Fi，然后重试。');
    }
  }

  function reconnectNow() {
    if (state.token && !state.ws && !state.stopped) {
      state.retry = 0;
      connect();
    }
  }

  // Forgets the socket without waiting for its close: the next join opens
  // a new one.
  function dropSocket() {
    var ws = state.ws;
    if (!ws) return;
    state.ws = null;
    state.connected = false;
    window.clearInterval(state.pingTimer);
    try {
      ws.close();
    } catch (e) {
      /* already closing */
    }
  }

  function stop() {
    state.stopped = true;
    window.clearTimeout(state.retryTimer);
    window.clearInterval(state.pingTimer);
    hideBanner();
    dropSocket();
  }

  /* ---------- messages ---------- */

  function handle(m) {
    switch (m.t) {
      case 'welcome': return onWelcome(m);
      case 'lobby': return onLobby(m);
      case 'question': return onQuestion(m);
      case 'paper': return onPaper(m);
      case 'ack': return onAck(m);
      case 'result': return onResult(m);
      case 'closed': return onClosed(m);
      case 'end': return onEnd(m);
      case 'error': return onError(m);
      default: return undefined;
    }
  }

  function onWelcome(m) {
    state.token = str(m.token);
    state.pendingJoin = null;
    state.welcome = m;
    save();
    joinBusy(false);
    updateBar();
    $('lobby-title').textContent = str(m.title) || '现场测验';
    $('lobby-name').textContent = str(m.name);
    $('lobby-team').textContent = m.team ? '队伍：' + str(m.team) : '';
    var rules = '共 ' + num(m.questions) + ' 题';
    rules += m.pace === 'self' ? ' · 限时内自行作答' : ' · 主持人逐题开放';
    rules += m.reveal === 'end' ? ' · 测验结束后公布对错' : ' · 每题揭晓后显示对错';
    $('lobby-rules').textContent = rules;
    // A question, paper or end message follows when the test is under way.
    if (state.screen === 'join' || state.screen === 'loading') show('lobby');
  }

  function onLobby(m) {
    $('lobby-joined').textContent = String(num(m.joined));
    if (state.screen !== 'end') show('lobby');
  }

  function onQuestion(m) {
    var q = num(m.q);
    if (!state.current || state.current.q !== q) {
      state.closed = false;
      state.timeUp = false;
      if (state.pending && state.pending.q !== q) state.pending = null;
    }
    state.paper = null;
    state.current = m;
    if (m.answered !== null && m.answered !== undefined) {
      state.answers[q] = str(m.answered);
      if (state.pending && state.pending.q === q) state.pending = null;
    } else if (state.pending && state.pending.q === q) {
      // Sent before the connection dropped and never acknowledged: send again.
      send({ t: 'answer', q: q, answer: state.pending.answer });
    }
    startClock(num(m.seconds_left));
    save();
    show('question');
    renderQuestion();
  }

  function onPaper(m) {
    var questions = Array.isArray(m.questions) ? m.questions : [];
    state.current = null;
    state.paper = questions;
    state.closed = false;
    state.timeUp = false;
    for (var i = 0; i < questions.length; i++) {
      var item = questions[i];
      if (item.answered !== null && item.answered !== undefined) {
        state.answers[num(item.q)] = str(item.answered);
      }
    }
    if (state.pending) {
      if (state.answers[state.pending.q] !== undefined) state.pending = null;
      else send({ t: 'answer', q: state.pending.q, answer: state.pending.answer });
    }
    if (state.index >= questions.length) state.index = 0;
    if (state.screen !== 'question') state.index = firstOpen();
    startClock(num(m.seconds_left));
    show('question');
    renderQuestion();
  }

  function firstOpen() {
    var paper = state.paper || [];
    for (var i = 0; i < paper.length; i++) {
      if (state.answers[num(paper[i].q)] === undefined) return i;
    }
    return 0;
  }

  function onAck(m) {
    var q = num(m.q);
    state.answers[q] = str(m.answer);
    if (state.pending && state.pending.q === q) state.pending = null;
    delete state.drafts[q];
    save();
    refreshQuestion();
  }

  function onResult(m) {
    var q = num(m.q);
    state.results[q] = m;
    if (typeof m.score === 'number') state.score = m.score;
    if (state.pending && state.pending.q === q) state.pending = null;
    updateBar();
    if (!state.paper && !(state.current && state.current.q === q)) {
      // Resumed between a reveal and the next question: only the result is known.
      placeholder(q);
      return;
    }
    if (state.current) {
      state.closed = true;
      stopClock('已揭晓');
    }
    if (state.screen === 'question') refreshQuestion();
  }

  function onClosed(m) {
    var q = num(m.q);
    if (state.pending && state.pending.q === q) state.pending = null;
    if (state.current && state.current.q === q) {
      state.closed = true;
      stopClock('时间到');
      refreshQuestion();
    } else if (!state.paper) {
      placeholder(q);
    }
  }

  // A host-pace question this page never saw open (it joined or came back
  // after the question closed): its number, its state, no prompt.
  function placeholder(q) {
    var total = state.welcome ? num(state.welcome.questions) : 0;
    var last = state.last;
    if (last && last.question && num(last.question.q) === q) {
      state.current = last.question;
      if (typeof last.answer === 'string') state.answers[q] = last.answer;
    } else {
      state.current = { q: q, total: total, kind: '', prompt: '', options: [], blanks: 0, placeholder: true };
    }
    state.closed = true;
    stopClock('已截止');
    show('question');
    renderQuestion();
  }

  function onEnd(m) {
    state.end = m;
    state.pending = null;
    stopClock('');
    save();
    // Nothing more to come: a server that closes now is no reason to retry.
    state.stopped = true;
    window.clearTimeout(state.retryTimer);
    hideBanner();
    renderEnd(m);
    show('end');
  }

  function onError(m) {
    var code = str(m.code);
    var text = str(m.msg) || ERROR_TEXT[code] || '出现错误，请重试。';
    if (code === 'room' || code === 'token') dropSocket();
    if (code === 'token' || (code === 'room' && state.token && !state.welcome)) {
      // The stored session is gone (another test, or the room was closed).
      state.token = '';
      save();
      joinError(text);
      show('join');
      return;
    }
    if (code === 'ended' && !state.welcome) {
      if (state.end) {
        renderEnd(state.end);
        show('end');
      } else {
        state.token = '';
        save();
        joinError(text);
        show('join');
      }
      return;
    }
    if (!state.welcome) {
      state.pendingJoin = null;
      if (code === 'team' && Array.isArray(m.teams)) setTeams(m.teams);
      joinBusy(false);
      joinError(text);
      if (state.screen !== 'join') show('join');
      return;
    }
    if (code === 'closed' || code === 'late' || code === 'ended' || code === 'answered') {
      state.pending = null;
      if (state.current) state.closed = true;
    } else if (code === 'invalid' || code === 'too_long') {
      state.pending = null;
    }
    refreshQuestion();
    setStatus(text, 'error');
  }

  /* ---------- join ---------- */

  function joinError(text) {
    $('join-error').textContent = text || '';
  }

  function joinBusy(busy) {
    var button = $('join-go');
    button.disabled = busy;
    button.textContent = busy ? '正在加入…' : '加入';
  }

  function setTeams(teams) {
    var select = $('join-team');
    clear(select);
    var prompt = el('option', '', '请选择队伍');
    prompt.value = '';
    select.appendChild(prompt);
    state.teams = [];
    for (var i = 0; i < teams.length; i++) {
      var name = str(teams[i]);
      if (!name) continue;
      state.teams.push(name);
      var option = el('option', '', name);
      option.value = name;
      select.appendChild(option);
    }
    $('join-team-row').hidden = state.teams.length === 0;
  }

  function submitJoin(event) {
    event.preventDefault();
    if ($('join-go').disabled) return;
    var room = clean($('join-room').value).replace(/\D/g, '');
    var name = clean($('join-name').value);
    var team = $('join-team').value;
    if (room.length !== 6) {
      joinError('请输入 6 位数字房间号。');
      $('join-room').focus();
      return;
    }
    if (!name) {
      joinError('请输入姓名。');
      $('join-name').focus();
      return;
    }
    if (chars(name) > MAX_NAME) {
      joinError('姓名最多 ' + MAX_NAME + ' 个字。');
      $('join-name').focus();
      return;
    }
    if (state.teams.length && !team) {
      joinError('请选择你的队伍。');
      $('join-team').focus();
      return;
    }
    joinError('');
    state.room = room;
    state.stopped = false;
    state.pendingJoin = { t: 'join', room: room, name: name };
    if (team) state.pendingJoin.team = team;
    joinBusy(true);
    if (state.connected) send(state.pendingJoin);
    else connect();
  }

  /* ---------- questions ---------- */

  // The question on screen: the open one (host pace) or the one picked
  // from the paper (self pace).
  function shown() {
    if (state.current) return state.current;
    if (state.paper && state.paper.length) return state.paper[state.index];
    return null;
  }

  function locked(q) {
    if (state.answers[q] !== undefined) return true;
    if (state.pending && state.pending.q === q) return true;
    if (state.results[q]) return true;
    return !!(state.current && state.closed);
  }

  function options(question) {
    var list = Array.isArray(question.options) ? question.options : [];
    if (question.kind === 'judge' && list.length === 0) return ['对', '错'];
    return list;
  }

  function renderQuestion() {
    var question = shown();
    if (!question) return;
    var q = num(question.q);
    var total = state.current ? num(question.total) : state.paper.length;
    var position = state.current ? q + 1 : state.index + 1;
    $('q-no').textContent = '第 ' + position + ' / ' + total + ' 题';
    $('q-kind').textContent = KIND_NAMES[question.kind] || '题目';
    $('q-prompt').textContent = str(question.prompt);
    var area = $('q-answer');
    clear(area);
    var kind = question.kind;
    if (question.placeholder) $('q-prompt').textContent = '（本题已截止）';
    else if (kind === 'choice' || kind === 'judge') renderChoice(area, question, false);
    else if (kind === 'multi') renderChoice(area, question, true);
    else if (kind === 'fill') renderFill(area, question);
    else renderText(area, question);
    renderNav();
    refreshQuestion();
  }

  function renderChoice(area, question, multi) {
    var q = num(question.q);
    var list = options(question);
    var judge = question.kind === 'judge';
    var box = el('div', judge ? 'opts judge' : 'opts');
    for (var i = 0; i < list.length; i++) {
      var letter = LETTERS.charAt(i);
      var value = judge ? str(list[i]) : letter;
      var button = el('button', 'opt');
      button.type = 'button';
      button.setAttribute('data-value', value);
      if (!judge) button.appendChild(el('span', 'letter', letter));
      button.appendChild(el('span', 'text', str(list[i])));
      button.addEventListener('click', choose.bind(null, q, value, multi, button));
      box.appendChild(button);
    }
    area.appendChild(box);
    if (multi) {
      area.appendChild(el('p', 'hint', '可选多项，选好后点“提交”。'));
      var submit = el('button', 'btn primary submit', '提交');
      submit.type = 'button';
      submit.id = 'q-submit';
      submit.addEventListener('click', function () {
        var picked = state.drafts[q] || '';
        if (!picked) {
          setStatus('请至少选择一项。', 'error');
          return;
        }
        submitAnswer(q, picked);
      });
      area.appendChild(submit);
    }
  }

  function choose(q, value, multi, button) {
    if (locked(q)) return;
    if (!multi) {
      submitAnswer(q, value);
      return;
    }
    var picked = state.drafts[q] || '';
    if (picked.indexOf(value) >= 0) picked = picked.replace(value, '');
    else picked = sortLetters(picked + value);
    state.drafts[q] = picked;
    button.classList.toggle('picked', picked.indexOf(value) >= 0);
    setStatus('', '');
  }

  function sortLetters(text) {
    return text.split('').sort().join('');
  }

  // Enter moves on or submits, but never while an IME is composing: the
  // Enter that commits a pinyin candidate is not a submit.
  function imeGuard(input) {
    input.addEventListener('compositionstart', function () {
      input.setAttribute('data-composing', '1');
    });
    input.addEventListener('compositionend', function () {
      // Some IMEs fire keydown(Enter) right after compositionend: let it pass first.
      window.setTimeout(function () {
        input.removeAttribute('data-composing');
      }, 0);
    });
  }

  function composing(input, event) {
    return event.isComposing || event.keyCode === 229 || input.hasAttribute('data-composing');
  }

  function renderFill(area, question) {
    var q = num(question.q);
    var count = Math.max(1, Math.min(20, num(question.blanks)));
    var draft = Array.isArray(state.drafts[q]) ? state.drafts[q] : [];
    var inputs = [];
    var box = el('div', 'blanks');
    for (var i = 0; i < count; i++) {
      var label = el('label', 'blank-label', count > 1 ? '第 ' + (i + 1) + ' 空' : '答案');
      var input = el('input', 'field blank');
      input.type = 'text';
      input.id = 'q-blank-' + i;
      input.maxLength = MAX_ANSWER;
      input.autocomplete = 'off';
      input.setAttribute('autocapitalize', 'off');
      input.setAttribute('enterkeyhint', i === count - 1 ? 'send' : 'next');
      input.value = str(draft[i]);
      label.htmlFor = input.id;
      imeGuard(input);
      box.appendChild(label);
      box.appendChild(input);
      inputs.push(input);
    }
    var saveDraft = function () {
      state.drafts[q] = inputs.map(function (input) { return input.value; });
    };
    var submit = el('button', 'btn primary submit', '提交');
    submit.type = 'button';
    submit.id = 'q-submit';
    var go = function () {
      var parts = inputs.map(function (input) {
        return clean(input.value).replace(/[；;]/g, '，');
      });
      if (!parts.some(function (part) { return part; })) {
        setStatus('请先填写答案。', 'error');
        inputs[0].focus();
        return;
      }
      submitAnswer(q, parts.join('；'));
    };
    inputs.forEach(function (input, i) {
      input.addEventListener('input', saveDraft);
      input.addEventListener('keydown', function (event) {
        if (event.key !== 'Enter' && event.keyCode !== 13) return;
        if (composing(input, event)) return;
        event.preventDefault();
        if (i + 1 < inputs.length) inputs[i + 1].focus();
        else go();
      });
    });
    submit.addEventListener('click', go);
    area.appendChild(box);
    area.appendChild(submit);
  }

  function renderText(area, question) {
    var q = num(question.q);
    var box = el('textarea', 'field text');
    box.id = 'q-text';
    box.rows = 5;
    box.maxLength = MAX_ANSWER;
    box.placeholder = question.kind === 'list' ? '每项之间用顿号“、”或换行分开' : '请输入你的答案';
    box.value = typeof state.drafts[q] === 'string' ? state.drafts[q] : '';
    imeGuard(box);
    var count = el('p', 'hint count', chars(box.value) + ' / ' + MAX_ANSWER);
    box.addEventListener('input', function () {
      state.drafts[q] = box.value;
      count.textContent = chars(box.value) + ' / ' + MAX_ANSWER;
    });
    var submit = el('button', 'btn primary submit', '提交');
    submit.type = 'button';
    submit.id = 'q-submit';
    submit.addEventListener('click', function () {
      var text = clean(box.value);
      if (!text) {
        setStatus('请先输入答案。', 'error');
        box.focus();
        return;
      }
      submitAnswer(q, text);
    });
    area.appendChild(box);
    area.appendChild(count);
    area.appendChild(submit);
  }

  function submitAnswer(q, answer) {
    if (locked(q)) return;
    if (chars(answer) > MAX_ANSWER) {
      setStatus('答案最多 ' + MAX_ANSWER + ' 个字，请删减后再提交。', 'error');
      return;
    }
    state.pending = { q: q, answer: answer };
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    send({ t: 'answer', q: q, answer: answer });
    refreshQuestion();
  }

  // The answer as this participant saw it: letters with their option text.
  function describe(question, answer) {
    if (!question || !answer) return answer;
    if (question.kind === 'choice' || question.kind === 'multi') {
      var list = options(question);
      return answer.split('').map(function (letter) {
        var i = LETTERS.indexOf(letter);
        return i >= 0 && i < list.length ? letter + '. ' + str(list[i]) : letter;
      }).join('；');
    }
    return answer;
  }

  // Everything on the question screen that follows the state rather than the
  // question itself: locks, highlights, status, result, navigation.
  function refreshQuestion() {
    if (state.screen !== 'question') return;
    var question = shown();
    if (!question) return;
    var q = num(question.q);
    var isLocked = locked(q);
    var answer = state.answers[q];
    var pending = state.pending && state.pending.q === q ? state.pending.answer : undefined;
    var area = $('q-answer');
    var controls = area.querySelectorAll('button, input, textarea');
    for (var i = 0; i < controls.length; i++) controls[i].disabled = isLocked;
    var submit = $('q-submit');
    if (submit) submit.hidden = isLocked;
    var opts = area.querySelectorAll('.opt');
    var draft = typeof state.drafts[q] === 'string' ? state.drafts[q] : '';
    for (var j = 0; j < opts.length; j++) {
      var value = opts[j].getAttribute('data-value');
      var mine = answer !== undefined ? answer : pending !== undefined ? pending : '';
      var inMine = question.kind === 'judge' ? mine === value : mine.indexOf(value) >= 0;
      opts[j].classList.toggle('chosen', answer !== undefined && inMine);
      opts[j].classList.toggle('sending', answer === undefined && pending !== undefined && inMine);
      opts[j].classList.toggle('picked', answer === undefined && pending === undefined && draft.indexOf(value) >= 0 && question.kind === 'multi');
    }
    var result = state.results[q];
    renderResult(question, result);
    if (result) {
      setStatus('', '');
    } else if (answer !== undefined) {
      var after;
      if (state.welcome && state.welcome.reveal === 'end') after = '结果将在测验结束后公布。';
      else if (state.paper) after = state.welcome && state.welcome.reveal === 'each' ? '' : '请继续作答。';
      else after = '等待主持人公布答案…';
      // Choice letters only: the chosen options are highlighted above.
      setStatus('已提交：' + answer + (after ? '。' + after : ''), 'ok');
    } else if (pending !== undefined) {
      setStatus(state.connected ? '正在提交…' : '正在提交…（等待网络恢复）', 'busy');
    } else if (state.current && state.closed) {
      setStatus('时间到，本题未作答。', 'error');
    } else if (state.timeUp) {
      setStatus('时间快到了，请尽快提交。', 'error');
    } else if ($('q-status').className.indexOf('error') < 0) {
      setStatus('', '');
    }
    if (state.current) {
      $('q-move').hidden = true;
    } else {
      $('q-move').hidden = false;
      $('q-prev').disabled = state.index <= 0;
      $('q-next').disabled = state.index >= state.paper.length - 1;
      updateNav();
    }
    var score = '';
    if (state.score !== null) {
      score = '总分 ' + state.score;
      if (result && num(result.of) > 0) score += ' · 第 ' + num(result.rank) + ' 名 / 共 ' + num(result.of) + ' 人';
    }
    if (state.paper) {
      var done = 0;
      for (var k = 0; k < state.paper.length; k++) {
        if (state.answers[num(state.paper[k].q)] !== undefined) done += 1;
      }
      score = '已答 ' + done + ' / ' + state.paper.length + (score ? ' · ' + score : '');
      if (done === state.paper.length) score += ' · 已交卷，等待测验结束';
    }
    $('q-score').textContent = score;
  }

  function setStatus(text, kind) {
    var status = $('q-status');
    status.textContent = text;
    status.className = 'status' + (kind ? ' ' + kind : '');
  }

  function row(list, label, text) {
    if (!text) return;
    var line = el('div', 'row');
    line.appendChild(el('span', 'label', label));
    line.appendChild(el('span', 'value', text));
    list.appendChild(line);
  }

  function renderResult(question, result) {
    var box = $('q-result');
    clear(box);
    if (!result) {
      box.hidden = true;
      return;
    }
    var outcome = OUTCOME_NAMES[result.outcome] ? result.outcome : 'none';
    box.className = 'result ' + outcome;
    var head = el('p', 'verdict', OUTCOME_NAMES[outcome]);
    if (num(result.points) > 0) head.appendChild(el('span', 'points', '+' + num(result.points) + ' 分'));
    box.appendChild(head);
    row(box, '你的答案', result.your ? describe(question, str(result.your)) : '未作答');
    row(box, '正确答案', str(result.answer));
    row(box, '解析', str(result.explain));
    row(box, '出处', str(result.source));
    box.hidden = false;
  }

  /* ---------- self pace navigation ---------- */

  function renderNav() {
    var nav = $('q-nav');
    clear(nav);
    if (!state.paper) {
      nav.hidden = true;
      return;
    }
    for (var i = 0; i < state.paper.length; i++) {
      var button = el('button', 'nav', String(i + 1));
      button.type = 'button';
      button.setAttribute('aria-label', '第 ' + (i + 1) + ' 题');
      button.addEventListener('click', go.bind(null, i));
      nav.appendChild(button);
    }
    nav.hidden = false;
    updateNav();
  }

  function updateNav() {
    var buttons = $('q-nav').querySelectorAll('.nav');
    for (var i = 0; i < buttons.length && state.paper && i < state.paper.length; i++) {
      var q = num(state.paper[i].q);
      var result = state.results[q];
      buttons[i].className = 'nav' +
        (i === state.index ? ' cur' : '') +
        (state.answers[q] !== undefined ? ' done' : '') +
        (result ? ' ' + str(result.outcome) : '');
    }
  }

  function go(index) {
    if (!state.paper || index < 0 || index >= state.paper.length) return;
    state.index = index;
    setStatus('', '');
    renderQuestion();
    window.scrollTo(0, 0);
  }

  /* ---------- the clock ---------- */

  function startClock(seconds) {
    stopClock('');
    state.span = Math.max(seconds, 0.001) * 1000;
    state.deadline = Date.now() + seconds * 1000;
    state.timeUp = seconds <= 0;
    tick();
    state.tickTimer = window.setInterval(tick, 250);
  }

  function stopClock(label) {
    window.clearInterval(state.tickTimer);
    state.tickTimer = 0;
    if (label) {
      $('q-clock').textContent = label;
      $('q-timefill').style.width = '0%';
    }
  }

  function clockText(ms) {
    var seconds = Math.ceil(ms / 1000);
    if (seconds < 100) return seconds + ' 秒';
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ':' + (rest < 10 ? '0' : '') + rest;
  }

  function tick() {
    var left = state.deadline - Date.now();
    var clock = $('q-clock');
    if (left <= 0) {
      stopClock('0 秒');
      clock.className = 'clock urgent';
      if (!state.timeUp) {
        state.timeUp = true;
        refreshQuestion();
      }
      return;
    }
    clock.textContent = clockText(left);
    clock.className = left <= 5000 ? 'clock urgent' : 'clock';
    $('q-timefill').style.width = Math.max(0, Math.min(100, left / state.span * 100)) + '%';
  }

  /* ---------- the end ---------- */

  function renderEnd(m) {
    $('end-score').textContent = String(num(m.score));
    $('end-rank').textContent = num(m.of) > 0 ? '第 ' + num(m.rank) + ' 名（共 ' + num(m.of) + ' 人）' : '';
    $('end-counts').textContent = '答对 ' + num(m.right) + ' 题 · 答错 ' + num(m.wrong) + ' 题 · 未答 ' + num(m.none) + ' 题';
    var list = $('end-review');
    clear(list);
    var review = Array.isArray(m.review) ? m.review : [];
    for (var i = 0; i < review.length; i++) {
      var item = review[i];
      var outcome = OUTCOME_NAMES[item.outcome] ? item.outcome : 'none';
      var li = el('li', 'item ' + outcome);
      var head = el('div', 'item-head');
      head.appendChild(el('span', 'qno', '第 ' + (num(item.q) + 1) + ' 题'));
      head.appendChild(el('span', 'badge ' + outcome, OUTCOME_NAMES[outcome]));
      li.appendChild(head);
      li.appendChild(el('p', 'prompt small', str(item.prompt)));
      row(li, '你的答案', describe(item, str(item.your)) || '未作答');
      row(li, '正确答案', str(item.answer));
      row(li, '解析', str(item.explain));
      row(li, '出处', str(item.source));
      list.appendChild(li);
    }
    updateBar();
  }

  function leave() {
    stop();
    state.token = '';
    state.welcome = null;
    state.end = null;
    state.current = null;
    state.paper = null;
    state.answers = {};
    state.results = {};
    state.drafts = {};
    state.pending = null;
    state.score = null;
    state.last = null;
    save();
    updateBar();
    joinError('');
    show('join');
  }

  /* ---------- start ---------- */

  function start() {
    var params = /[?&]room=(\d{1,6})/.exec(window.location.search);
    var room = params ? params[1] : '';
    var roomInput = $('join-room');
    roomInput.value = room;
    roomInput.addEventListener('input', function () {
      var digits = roomInput.value.replace(/\D/g, '').slice(0, 6);
      if (digits !== roomInput.value) roomInput.value = digits;
    });
    $('join-form').addEventListener('submit', submitJoin);
    $('q-prev').addEventListener('click', function () { go(state.index - 1); });
    $('q-next').addEventListener('click', function () { go(state.index + 1); });
    var leaveButton = el('button', 'btn', '加入其他测验');
    leaveButton.type = 'button';
    leaveButton.id = 'end-leave';
    leaveButton.addEventListener('click', leave);
    $('s-end').appendChild(leaveButton);
    document.addEventListener('visibilitychange', function () {
      if (!document.hidden) reconnectNow();
    });
    window.addEventListener('online', reconnectNow);

    var saved = load();
    if (saved && typeof saved.token === 'string' && saved.token &&
        typeof saved.room === 'string' && (!room || room === saved.room)) {
      state.room = saved.room;
      state.token = saved.token;
      state.end = saved.end && typeof saved.end === 'object' ? saved.end : null;
      if (saved.question && typeof saved.question === 'object') {
        state.last = { question: saved.question, answer: saved.answer };
      }
      if (state.end) {
        // The test is over: its review was kept, the server may be gone.
        state.stopped = true;
        renderEnd(state.end);
        show('end');
        return;
      }
      show('loading');
      connect();
      return;
    }
    show('join');
    loadInfo();
    if (room) $('join-name').focus();
    else roomInput.focus();
  }

  // Title and teams before joining (GET /info: no answers in it).
  function loadInfo() {
    if (!window.fetch) return;
    window.fetch('/info', { cache: 'no-store' }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (info) {
      if (!info || typeof info !== 'object') return;
      if (info.title && !state.welcome) $('bar-title').textContent = str(info.title);
      if (Array.isArray(info.teams) && info.teams.length) setTeams(info.teams);
    }).catch(function () {
      /* no /info: join without a team picker, the server says if one is needed */
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
