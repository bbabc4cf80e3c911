# Shared helpers for scripts/dev and scripts/test (sourced, not run).

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

# Install the Debian packages named as arguments when missing: as root with apt-get,
# otherwise stop with the exact command to run.
ensure_system_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        echo "Installing system packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "Missing system packages. Run:" >&2
        echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
}

# The packages the application needs at run time (WeasyPrint uses the system Pango;
# gettext compiles the Vietnamese catalogue).
RUNTIME_PACKAGES=(gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)

# Create the virtualenv and install a requirements file into it (quietly, once per change).
ensure_venv() {
    local requirements=$1
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
        echo "Python 3.11 or newer is needed ($PYTHON is $("$PYTHON" --version))." >&2; exit 1; }
    if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
        ensure_system_packages python3-venv
    fi
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    local stamp="$VENV/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$requirements"
    if [ ! -f "$stamp" ]; then
        # (grep drops the noise of this machine's optional local wheel folders)
        "$VENV/bin/python" -m pip install -q --upgrade pip 2>&1 | { grep -v "^WARNING: Location" || true; }
        "$VENV/bin/python" -m pip install -q -r "$requirements" 2>&1 | { grep -v "^WARNING: Location" || true; }
        touch "$stamp"
    fi
    # shellcheck disable=SC1091
    source "$VENV/bin/activate"
    mkdir -p var  # the default SQLite database and uploaded files live here
}

compile_messages() {
    python manage.py compilemessages --ignore "$VENV" --ignore var -v 0
}
