// Vietnamese messages of the `readiness` namespace: the readiness check before a meeting (Điều 8.2).

export default {
  readiness: {
    state: {
      ready: 'Sẵn sàng',
      'not-ready': 'Chưa sẵn sàng',
      'not-checked': 'Chưa kiểm tra',
    },
    direction: {
      send: 'chiều gửi',
      recv: 'chiều nhận',
    },
    reason: {
      'call-not-opened': 'Không mở được cuộc gọi thử: {error}',
      'not-joined': 'Điểm cầu không vào cuộc gọi thử',
      'no-media': 'Không có tín hiệu hình, tiếng ({direction})',
      'loss-high': 'Mất gói {value} % ({direction}; ngưỡng {threshold} %)',
      'jitter-high': 'Jitter {value} ms ({direction}; ngưỡng {threshold} ms)',
      'fps-low': 'Hình {value} khung hình/giây ({direction}; tối thiểu {threshold})',
      'audio-silent': 'Không nghe thấy tiếng ({direction})',
      'rtt-high': 'Độ trễ {value} ms (ngưỡng {threshold} ms)',
      'power-unknown': 'Không có số liệu nguồn điện, UPS',
      'on-battery': 'Mất điện lưới, đang chạy pin UPS',
      'battery-low': 'Pin UPS {value} % (tối thiểu {threshold} %)',
      'runtime-short': 'UPS chỉ còn chạy được {minutes} phút (tối thiểu {threshold} phút)',
      'room-unknown': 'Không có số liệu nhiệt độ, độ ẩm phòng',
      'temp-high': 'Phòng nóng {value} °C (ngưỡng {threshold} °C)',
      'humidity-high': 'Phòng ẩm {value} % (ngưỡng {threshold} %)',
      'checklist-item': 'Mục kiểm tra chưa đạt: {item} {note}',
      'capacity-untested': 'Chưa kiểm tra tải trước cuộc họp lớn',
      'capacity-failed': 'Kiểm tra tải #{run} không đạt: {failed}',
    },
  },
};
