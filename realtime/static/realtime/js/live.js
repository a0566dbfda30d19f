/* Live updates over websockets: the idea page, the notification bell and
 * the staff inbox's "new ideas" notice.
 *
 * A push is a hint: the server may drop messages, so after every (re)connect
 * the page asks the HTTP catch-up endpoint for what it missed, and applies
 * each stored event once, in sequence order. Reconnects back off
 * exponentially with jitter. The socket is read-only.
 */
(function () {
  "use strict";

  var MAX_DELAY_MS = 30000;

  function socketUrl(path) {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + path;
  }

  /* Translations from Django's JavaScript catalog (/jsi18n/, loaded before this
   * file); without it the English text is used. */
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  };

  /* Polite announcements for screen readers (site.js owns the live region). */
  function announce(text) {
    if (window.idealoopAnnounce) window.idealoopAnnounce(text);
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content;
  }

  /* Keep one socket open to `path`, calling onOpen after each connect. */
  function stream(path, handlers) {
    var attempt = 0;
    var socket = null;

    function connect() {
      handlers.state("connecting");
      socket = new WebSocket(socketUrl(path));
      socket.onopen = function () {
        attempt = 0;
        handlers.state("live");
        handlers.open();
      };
      socket.onmessage = function (message) {
        try {
          handlers.message(JSON.parse(message.data));
        } catch (error) {
          console.error("Could not apply a live update", error);
        }
      };
      socket.onclose = function (event) {
        if (event.code === 4403 || event.code === 4410) {
          handlers.state("closed");
          return; // not allowed (any more): do not knock again
        }
        handlers.state("offline");
        var delay = Math.min(MAX_DELAY_MS, 1000 * Math.pow(2, attempt));
        attempt += 1;
        window.setTimeout(connect, delay / 2 + Math.random() * delay / 2);
      };
    }
    connect();
  }

  /* --- The idea page ---------------------------------------------------- */

  function ideaPage(root) {
    var lastSeq = parseInt(root.dataset.lastSeq || "0", 10);
    var statusLabel = document.getElementById("live-status");

    function setState(state) {
      if (!statusLabel) return;
      var words = {
        connecting: gettext("Connecting…"),
        live: gettext("Live"),
        offline: gettext("Reconnecting…"),
        closed: gettext("Not live"),
      };
      statusLabel.textContent = words[state];
      statusLabel.dataset.state = state;
    }

    function setCounts(counts) {
      document.querySelectorAll("[data-idea-score]").forEach(function (node) {
        node.textContent = counts.score;
      });
      document.querySelectorAll("[data-idea-supporters]").forEach(function (node) {
        node.textContent = counts.supporters;
      });
    }

    function setCommentCount(count) {
      document.querySelectorAll("[data-comment-count]").forEach(function (node) {
        node.textContent = count;
      });
    }

    function highlight(node) {
      if (!node) return;
      node.classList.add("live-new");
      window.setTimeout(function () { node.classList.remove("live-new"); }, 4000);
    }

    function addComment(event) {
      var thread = document.getElementById("thread");
      var empty = document.getElementById("thread-empty");
      if (empty) empty.remove();
      var node = fragment(event.html).firstElementChild;
      if (document.getElementById(node.id)) return;
      var parentId = event.data.parent_id;
      if (parentId) {
        var item = document.getElementById("comment-" + parentId).closest(".thread__item");
        var replies = item.querySelector(".thread__replies");
        if (!replies) {
          replies = document.createElement("div");
          replies.className = "thread__replies";
          item.insertBefore(replies, item.querySelector(".reply"));
        }
        replies.appendChild(node);
      } else {
        var wrapper = document.createElement("div");
        wrapper.className = "thread__item";
        wrapper.appendChild(node);
        thread.appendChild(wrapper);
      }
      setCommentCount(event.data.comment_count);
      highlight(node);
      return node;
    }

    function notify(text) {
      var notice = document.createElement("p");
      notice.className = "message message--warning";
      notice.textContent = text;
      root.prepend(notice);
      announce(text);
    }

    function replaceComment(event) {
      var node = document.getElementById("comment-" + event.data.comment_id);
      if (node) node.replaceWith(fragment(event.html).firstElementChild);
      setCommentCount(event.data.comment_count);
    }

    /* The pinned official response, as the server says it is now ("" for none). */
    function setPinned(html) {
      var current = document.getElementById("official-response");
      if (!html) {
        if (current) current.remove();
        return;
      }
      var pinned = fragment(html).firstElementChild;
      if (current && current.isEqualNode(pinned)) return;
      if (current) current.replaceWith(pinned);
      else document.querySelector(".idea__body").before(pinned);
      highlight(pinned);
    }

    /* "New comment from Ana." or "New comment.": whole sentences, for translators. */
    function said(withAuthor, withoutAuthor, event) {
      if (!event.data.author) return withoutAuthor;
      return interpolate(withAuthor, { author: event.data.author }, true);
    }

    var apply = {
      comment: function (event) {
        if (addComment(event)) {
          announce(event.data.parent_id
            ? said(gettext("New reply from %(author)s."), gettext("New reply."), event)
            : said(gettext("New comment from %(author)s."), gettext("New comment."), event));
        }
      },
      official: function (event) {
        addComment(event);
        announce(said(gettext("New official response from %(author)s."), gettext("New official response."), event));
      },
      status: function (event) {
        document.getElementById("idea-status").innerHTML = event.data.badge_html;
        var item = fragment(event.html).firstElementChild;
        document.getElementById("status-timeline").appendChild(item);
        highlight(item);
        announce(interpolate(gettext("Status changed to %(label)s."), { label: event.data.label }, true));
      },
      comment_removed: function (event) {
        var node = document.getElementById("comment-" + event.data.comment_id);
        if (node) {
          node.classList.add("comment--removed");
          node.innerHTML = '<p class="muted"><em></em></p>';
          node.querySelector("em").textContent = gettext("Comment removed.");
        }
        setCommentCount(event.data.comment_count);
      },
      withdrawn: function () {
        notify(gettext("This idea was just withdrawn by its author."));
      },
      hidden: function () {
        notify(gettext("A moderator just hid this idea."));
      },
      // A comment was edited, or a moderator hid or restored it: show what it shows now.
      comment_edited: replaceComment,
      comment_hidden: replaceComment,
      comment_restored: replaceComment,
    };

    function handle(event) {
      if (event.kind === "counts") {
        setCounts(event.data);
        return;
      }
      if (event.seq <= lastSeq) return; // already applied
      if (event.seq > lastSeq + 1) {
        catchUp(); // we missed something: fetch it in order
        return;
      }
      lastSeq = event.seq;
      if (apply[event.kind]) apply[event.kind](event);
      // Events about comments say what the pinned block shows after them.
      if (event.data && typeof event.data.pinned_html === "string") setPinned(event.data.pinned_html);
    }

    function catchUp() {
      fetch(root.dataset.eventsUrl + "?after=" + lastSeq, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (!body) return;
          body.events.forEach(handle);
          setCounts(body.counts);
        })
        .catch(function () { /* the next reconnect tries again */ });
    }

    stream(root.dataset.ideaStream, { state: setState, open: catchUp, message: handle });
  }

  /* --- The notification bell -------------------------------------------- */

  function bell(link) {
    var count = link.querySelector("[data-unread-count]");

    function show(unread) {
      count.textContent = unread;
      count.hidden = unread < 1;
      // The link's name carries the count; the badge itself is decoration.
      link.setAttribute("aria-label", unread > 0 ? "Notifications, " + unread + " unread" : "Notifications");
    }

    function refresh() {
      fetch(link.dataset.unreadUrl, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) { if (body) show(body.unread); })
        .catch(function () {});
    }

    stream(link.dataset.memberStream, {
      state: function () {},
      open: refresh,
      message: function (event) {
        if (event.kind === "notification") {
          show((parseInt(count.textContent, 10) || 0) + event.data.unread_delta);
          link.classList.add("live-new");
          window.setTimeout(function () { link.classList.remove("live-new"); }, 4000);
        }
      },
    });
  }

  /* --- The triage inbox: new ideas arrive while staff work -------------- */

  function staffInbox(notice) {
    var count = 0;
    var text = notice.querySelector("[data-new-ideas-text]");
    stream(notice.dataset.staffStream, {
      state: function (state) { notice.dataset.state = state; },
      open: function () {},
      message: function (event) {
        if (event.kind !== "idea_created") return;
        count += 1;
        text.textContent = count === 1
          ? interpolate(gettext("A new idea arrived: %(title)s."), { title: event.data.title }, true)
          : interpolate(
            ngettext(
              "%(count)s new idea arrived, the latest: %(title)s.",
              "%(count)s new ideas arrived, the latest: %(title)s.",
              count
            ),
            { count: count, title: event.data.title },
            true
          );
        notice.hidden = false;
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var inbox = document.querySelector("[data-staff-stream]");
    if (inbox) staffInbox(inbox);
    var root = document.querySelector("[data-idea-stream]");
    if (root) ideaPage(root);
    var link = document.querySelector("[data-member-stream]");
    if (link) bell(link);
  });
})();
